/**
 * s3rver in its own process, started by s3-server.ts with `--openssl-legacy-provider`: s3rver makes
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node ≥ 17) only has in its legacy
 * provider — without it every truncated listing (more than 1000 keys) is a 500.
 *
 * Reports each request it receives to the parent (IPC), in order, before handling it; answers
 * `{ flush }` after everything before it, so the parent can read a complete list.
 */
const S3rver = require('s3rver');

const { directory, buckets } = JSON.parse(process.argv[2]);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
server.middleware.unshift(async (ctx, next) => {
  process.send({ request: { method: ctx.method, path: ctx.path, query: { ...ctx.query }, headers: { ...ctx.headers } } });
  await next();
});
process.on('message', (message) => {
  if (message && message.flush !== undefined) process.send({ flushed: message.flush });
  if (message && message.stop) server.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
server.run().then(
  ({ port }) => process.send({ ready: port }),
  (error) => {
    process.send({ failed: String(error && error.stack ? error.stack : error) });
    process.exit(1);
  }
);
