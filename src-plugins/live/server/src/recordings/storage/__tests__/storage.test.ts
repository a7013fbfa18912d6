import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { envSchema } from '@skillyug/config';
import {
  createObjectStorage,
  diskStorage,
  FILES_ROUTE_PREFIX,
  MULTIPART_PART_SIZE,
  s3Storage,
  serveSignedFile,
  signFileUrl,
  signedFileQuery,
  StorageError,
  verifyFileUrl,
  s3StorageForBucket,
  type DiskStorage,
  type FileResponse,
  type ObjectStorage,
} from '..';
import { startS3Server, type TestS3Server } from './s3-server';

const SECRET = 'files-secret-for-the-storage-tests';
const BUCKET = 'recordings';
const HOUR_MS = 3_600_000;

let s3: TestS3Server;
let tmp: string;
/** An HTTP server that answers the disk backend's links the way the plugin's route does. */
let fileServer: http.Server;
let fileServerUrl: string;
/** The disk storage the file server reads from, on the real clock (the backend's storages share its root). */
let served: DiskStorage;
const diskRoot = () => path.join(tmp, 'disk');

const sha256 = (bytes: Buffer | Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0] : values;
  }
  return query;
}

async function send(res: http.ServerResponse, answer: FileResponse) {
  res.writeHead(answer.status, answer.headers);
  if (answer.body === undefined || typeof answer.body === 'string') return res.end(answer.body);
  (answer.body as Readable).pipe(res);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-test-'));
  s3 = await startS3Server([BUCKET, 'ivs-recordings']);
  fileServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(FILES_ROUTE_PREFIX)) return void res.writeHead(404).end();
    void serveSignedFile(served, {
      method: req.method ?? 'GET',
      key: decodeURIComponent(url.pathname.slice(FILES_ROUTE_PREFIX.length)),
      query: queryOf(url),
      range: req.headers.range,
    }).then((answer) => send(res, answer));
  });
  await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
  fileServerUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}`;
  served = diskStorage({ root: diskRoot(), publicUrl: fileServerUrl, secret: SECRET });
});

afterAll(async () => {
  await new Promise((resolve) => fileServer.close(resolve));
  await s3.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Backend = {
  kind: 'disk' | 's3';
  /** A storage on the shared root / bucket whose clock reads `now`. */
  make(now?: () => number): ObjectStorage;
};

const backends: Backend[] = [
  {
    kind: 'disk',
    make: (now = Date.now) => diskStorage({ root: diskRoot(), publicUrl: fileServerUrl, secret: SECRET, now }),
  },
  {
    kind: 's3',
    make: (now = Date.now) =>
      s3Storage({ bucket: BUCKET, region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials, now: () => new Date(now()) }),
  },
];

describe.each(backends)('$kind storage', (backend) => {
  let storage: ObjectStorage;
  beforeAll(() => {
    storage = backend.make();
  });

  it('stores a buffer and reads it back; an absent key is a 404', async () => {
    const body = Buffer.from(JSON.stringify({ hello: 'world', at: Date.now() }));
    await expect(storage.putBuffer('buffers/one.json', body, { contentType: 'application/json' })).resolves.toEqual({ key: 'buffers/one.json', size: body.length });
    expect((await storage.getBuffer('buffers/one.json')).equals(body)).toBe(true);

    const replaced = Buffer.from('second version');
    await storage.putBuffer('buffers/one.json', replaced, { contentType: 'application/json' });
    expect((await storage.getBuffer('buffers/one.json')).toString()).toBe('second version');

    const missing = await storage.getBuffer('buffers/absent.json').catch((error) => error);
    expect(missing).toBeInstanceOf(StorageError);
    expect(missing).toMatchObject({ status: 404, message: expect.stringContaining('buffers/absent.json') });
  });

  it('stores a 20 MB file (S3: in several multipart parts), reports progress and leaves the caller’s file in place', async () => {
    const source = path.join(tmp, `${backend.kind}-big.bin`);
    const bytes = crypto.randomBytes(20 * 1024 * 1024 + 123);
    fs.writeFileSync(source, bytes);
    const progress: [number, number][] = [];
    const requestsBefore = (await s3.requests()).length;

    const stored = await storage.putFile('big/video.mp4', source, { contentType: 'video/mp4', onProgress: (loaded, total) => progress.push([loaded, total]) });

    expect(stored).toEqual({ key: 'big/video.mp4', size: bytes.length });
    expect(fs.existsSync(source)).toBe(true);
    expect(progress[0]).toEqual([0, bytes.length]);
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(progress.every(([loaded, total], index) => total === bytes.length && loaded >= (progress[index - 1]?.[0] ?? 0))).toBe(true);
    expect(sha256(await storage.getBuffer('big/video.mp4'))).toBe(sha256(bytes));

    if (backend.kind === 's3') {
      const parts = (await s3.requests()).slice(requestsBefore).filter((r) => r.method === 'PUT' && r.path === `/${BUCKET}/big/video.mp4` && r.query.partNumber !== undefined);
      expect(parts.map((r) => Number(r.query.partNumber)).sort()).toEqual([1, 2, 3]); // 8 + 8 + 4 MB
      expect(Math.max(...parts.map((r) => Number(r.headers['content-length'])))).toBe(MULTIPART_PART_SIZE);
      const head = await (storage as ReturnType<typeof s3Storage>).client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big/video.mp4' }));
      expect(head.ContentType).toBe('video/mp4');
      // Several progress events: one per part at least, not only the final one.
      expect(progress.length).toBeGreaterThanOrEqual(4);
    }
  });

  it('stores a small file in one request', async () => {
    const source = path.join(tmp, `${backend.kind}-small.jpg`);
    fs.writeFileSync(source, Buffer.from('a small poster'));
    const progress: number[] = [];
    await expect(storage.putFile('small/poster.jpg', source, { contentType: 'image/jpeg', onProgress: (loaded) => progress.push(loaded) })).resolves.toEqual({ key: 'small/poster.jpg', size: 14 });
    expect(progress.at(-1)).toBe(14);
    expect((await storage.getBuffer('small/poster.jpg')).toString()).toBe('a small poster');
  });

  it('refuses to store a file that does not exist', async () => {
    await expect(storage.putFile('big/none.mp4', path.join(tmp, 'nope.bin'), { contentType: 'video/mp4' })).rejects.toMatchObject({ status: 404 });
  });

  it('lists the objects under a prefix, sorted, with their sizes', async () => {
    await storage.putBuffer('listing/b/2.jpg', Buffer.alloc(20), { contentType: 'image/jpeg' });
    await storage.putBuffer('listing/a.json', Buffer.alloc(10), { contentType: 'application/json' });
    await storage.putBuffer('listing/b/1.jpg', Buffer.alloc(15), { contentType: 'image/jpeg' });
    await storage.putBuffer('listing-other/x.json', Buffer.alloc(1), { contentType: 'application/json' });

    expect(await storage.list('listing/')).toEqual([
      { key: 'listing/a.json', size: 10 },
      { key: 'listing/b/1.jpg', size: 15 },
      { key: 'listing/b/2.jpg', size: 20 },
    ]);
    expect((await storage.list('listing/b/')).map((o) => o.key)).toEqual(['listing/b/1.jpg', 'listing/b/2.jpg']);
    // A plain string prefix, as S3 has it.
    expect((await storage.list('listing')).map((o) => o.key)).toEqual(['listing-other/x.json', 'listing/a.json', 'listing/b/1.jpg', 'listing/b/2.jpg']);
    expect(await storage.list('nothing-here/')).toEqual([]);
  });

  it('signs a GET that reads the object, and ranges of it (206)', async () => {
    const bytes = crypto.randomBytes(64 * 1024);
    await storage.putBuffer('signed/clip.mp4', bytes, { contentType: 'video/mp4' });
    const before = Date.now();
    const { url, expiresAt } = await storage.signedUrl('signed/clip.mp4', { expiresInSeconds: 300 });
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 299_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);

    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const part = await fetch(url, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
  });

  it('names the download when asked (Content-Disposition: attachment)', async () => {
    await storage.putBuffer('signed/download.mp4', Buffer.from('video bytes'), { contentType: 'video/mp4' });
    const { url } = await storage.signedUrl('signed/download.mp4', { expiresInSeconds: 300, downloadName: 'Week 3: Hooks / Q&A — recorded.mp4' });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="Week 3- Hooks - Q&A _ recorded\.mp4"; filename\*=UTF-8''Week%203-%20Hooks%20-%20Q%26A%20%E2%80%94%20recorded\.mp4$/);
    expect(await response.text()).toBe('video bytes');
  });

  it('signs a URL that has already expired when its clock says so (403, without waiting)', async () => {
    await storage.putBuffer('signed/old.mp4', Buffer.from('old'), { contentType: 'video/mp4' });
    const anHourAgo = backend.make(() => Date.now() - HOUR_MS);
    const { url, expiresAt } = await anHourAgo.signedUrl('signed/old.mp4', { expiresInSeconds: 1 });
    expect(expiresAt.getTime()).toBeLessThan(Date.now());
    const response = await fetch(url);
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toMatch(backend.kind === 'disk' ? /This link has expired/ : /Request has expired/);
    // The same key signed now still reads.
    expect((await fetch((await backend.make().signedUrl('signed/old.mp4', { expiresInSeconds: 60 })).url)).status).toBe(200);
  });

  it('deletes everything under a prefix and nothing else, across several pages of 1000', async () => {
    const keys = [...Array.from({ length: 1005 }, (_, i) => `del/a/${String(i).padStart(4, '0')}.jpg`), 'del/a/nested/deeper/x.json'];
    const keep = ['del/ab/1.jpg', 'del/b/1.jpg', 'del/a.json'];
    const all = [...keys, ...keep];
    for (let i = 0; i < all.length; i += 25) {
      await Promise.all(all.slice(i, i + 25).map((key) => storage.putBuffer(key, Buffer.from(key), { contentType: 'image/jpeg' })));
    }
    const deleteCallsBefore = (await s3.requests()).filter((r) => r.method === 'POST' && r.query.delete !== undefined).length;

    await expect(storage.deletePrefix('del/a/')).resolves.toBe(keys.length);

    expect((await storage.list('del/')).map((o) => o.key)).toEqual(['del/a.json', 'del/ab/1.jpg', 'del/b/1.jpg']);
    await expect(storage.deletePrefix('del/a/')).resolves.toBe(0);
    await expect(storage.deletePrefix('never/was/')).resolves.toBe(0);
    if (backend.kind === 's3') {
      expect((await s3.requests()).filter((r) => r.method === 'POST' && r.query.delete !== undefined).length - deleteCallsBefore).toBe(2);
    }
  });

  it.each([
    ['../x', '../x', /can't contain '\.\.'/],
    ['/abs', '/abs', /can't start with '\/'/],
    ['empty', '', /can't be empty/],
    ['a/../../etc/passwd', 'a/../../etc/passwd', /can't contain '\.\.'/],
    ['a//b', 'a//b', /empty segments/],
    ['a/.hidden', 'a/.hidden', /starting with '\.'/],
    ['with spaces', 'spaces are bad.mp4', /may only hold/],
    ['1025 characters', 'x'.repeat(1025), /at most 1024/],
  ])('refuses the key %s with a 400', async (_label, key, message) => {
    const attempts = [
      storage.putBuffer(key, Buffer.from('x'), { contentType: 'text/plain' }),
      storage.putFile(key, __filename, { contentType: 'text/plain' }),
      storage.getBuffer(key),
      storage.signedUrl(key, { expiresInSeconds: 60 }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
  });

  it('refuses prefixes that are not folders, and bad lifetimes', async () => {
    await expect(storage.deletePrefix('recordings')).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/must end with '\/'/) });
    await expect(storage.deletePrefix('')).rejects.toMatchObject({ status: 400 });
    await expect(storage.deletePrefix('../')).rejects.toMatchObject({ status: 400 });
    await expect(storage.list('/etc/')).rejects.toMatchObject({ status: 400 });
    await expect(storage.signedUrl('signed/clip.mp4', { expiresInSeconds: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(storage.signedUrl('signed/clip.mp4', { expiresInSeconds: 8 * 24 * 3600 })).rejects.toMatchObject({ status: 400 });
    await expect(storage.signedUrl('signed/clip.mp4', { expiresInSeconds: 60, downloadName: '///' })).rejects.toMatchObject({ status: 400 });
  });

  it('is ready when the folder is writable / the bucket answers', async () => {
    await expect(storage.check()).resolves.toBeUndefined();
  });
});

describe('readiness failures name the problem', () => {
  it('disk: a root that cannot be a folder', async () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    const storage = diskStorage({ root: path.join(file, 'storage'), publicUrl: 'http://localhost', secret: SECRET });
    await expect(storage.check()).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/storage folder .* is not writable \(ENOTDIR\): check LOCAL_STORAGE_DIR/) });
    await expect(storage.putBuffer('x/y.json', Buffer.from('{}'), { contentType: 'application/json' })).rejects.toMatchObject({ status: 409 });
  });

  it('s3: a bucket that does not exist', async () => {
    const storage = s3Storage({ bucket: 'no-such-bucket', region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
    await expect(storage.check()).rejects.toMatchObject({ status: 503, message: expect.stringContaining('The S3 bucket no-such-bucket does not exist') });
    await expect(storage.putBuffer('x.json', Buffer.from('{}'), { contentType: 'application/json' })).rejects.toMatchObject({ status: 503, message: expect.stringContaining('no-such-bucket') });
  });

  it('s3: an endpoint nothing answers on', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const storage = s3Storage({ bucket: BUCKET, region: s3.region, endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: s3.credentials });
    const error = await storage.check().catch((e) => e);
    expect(error).toMatchObject({ status: 503, message: `S3 is unreachable at http://127.0.0.1:${port} (ECONNREFUSED)` });
    expect(error.message).not.toContain(s3.credentials.secretAccessKey);
  });

  it('s3: refused access is a 503 that says where to look, without the credentials', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const client = { send: async () => Promise.reject(denied) } as unknown as ReturnType<typeof s3Storage>['client'];
    const storage = s3Storage({ bucket: 'media-prod', region: 'ap-south-1', client, credentials: s3.credentials });
    const error = await storage.check().catch((e) => e);
    expect(error).toMatchObject({ status: 503, message: 'S3 refused access to bucket media-prod (AccessDenied): check the task role / S3_ACCESS_KEY_ID' });
    expect(JSON.stringify(error)).not.toContain(s3.credentials.secretAccessKey);
  });
});

// ── S3 presigned URLs: s3rver checks no signatures, so the tests check them ────────────────

/** RFC 3986 encoding, as SigV4 canonicalises query values. */
const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, text: string) => crypto.createHmac('sha256', key).update(text).digest();

/** The SigV4 query signature a URL should carry if it was presigned with `secretAccessKey` (written from the spec, not the SDK). */
function expectedSigV4(url: URL, secretAccessKey: string): string {
  const params = [...url.searchParams.entries()].filter(([name]) => name !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders')!;
  expect(signedHeaders).toBe('host');
  const canonicalRequest = ['GET', url.pathname, canonicalQuery, `host:${url.host}`, '', signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
  const date = url.searchParams.get('X-Amz-Date')!;
  const [, day, region, service] = url.searchParams.get('X-Amz-Credential')!.split('/');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, crypto.createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  return crypto.createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

describe('S3 presigned URLs', () => {
  const fixedNow = Date.UTC(2026, 4, 17, 9, 30, 0);
  const storage = () =>
    s3Storage({ bucket: BUCKET, region: 'ap-south-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials, now: () => new Date(fixedNow) });

  it('are signed with the configured secret, for that key, for that long', async () => {
    const { url, expiresAt } = await storage().signedUrl('recordings/abc/video.mp4', { expiresInSeconds: 900, downloadName: 'Class 1.mp4' });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe(`/${BUCKET}/recordings/abc/video.mp4`);
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(parsed.searchParams.get('X-Amz-Date')).toBe('20260517T093000Z');
    expect(parsed.searchParams.get('X-Amz-Credential')).toBe(`${s3.credentials.accessKeyId}/20260517/ap-south-1/s3/aws4_request`);
    expect(parsed.searchParams.get('response-content-disposition')).toBe(`attachment; filename="Class 1.mp4"; filename*=UTF-8''Class%201.mp4`);
    expect(expiresAt.toISOString()).toBe('2026-05-17T09:45:00.000Z');
    expect(url).not.toContain(s3.credentials.secretAccessKey);

    expect(parsed.searchParams.get('X-Amz-Signature')).toBe(expectedSigV4(parsed, s3.credentials.secretAccessKey));
    // The check can fail: another secret, another key or a longer life give another signature.
    expect(expectedSigV4(parsed, 'another-secret')).not.toBe(parsed.searchParams.get('X-Amz-Signature'));
    const otherKey = new URL(url);
    otherKey.pathname = `/${BUCKET}/recordings/other/video.mp4`;
    expect(expectedSigV4(otherKey, s3.credentials.secretAccessKey)).not.toBe(parsed.searchParams.get('X-Amz-Signature'));
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    expect(expectedSigV4(longer, s3.credentials.secretAccessKey)).not.toBe(parsed.searchParams.get('X-Amz-Signature'));
  });

  it('for another bucket (IVS recordings) point at that bucket', async () => {
    const ivs = s3Storage({ bucket: 'ivs-recordings', region: 'ap-south-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials, now: () => new Date(fixedNow) });
    const { url } = await ivs.signedUrl('ivs/v1/1/2/media/hls/master.m3u8', { expiresInSeconds: 60 });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/ivs-recordings/ivs/v1/1/2/media/hls/master.m3u8');
    expect(parsed.searchParams.get('X-Amz-Signature')).toBe(expectedSigV4(parsed, s3.credentials.secretAccessKey));
  });
});

// ── CloudFront signed URLs ────────────────────────────────────────────────────────────────

describe('CloudFront signed URLs (CDN_URL + key pair)', () => {
  const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const fixedNow = Date.UTC(2026, 4, 17, 9, 30, 0);
  const cdnStorage = (pem = privateKeyPem) =>
    s3Storage({
      bucket: BUCKET,
      region: 'ap-south-1',
      credentials: s3.credentials,
      cdn: { url: 'https://d111111abcdef8.cloudfront.net/', keyPairId: 'K2JCJMDEHXQW5F', privateKeyPem: pem },
      now: () => new Date(fixedNow),
    });

  /** CloudFront's URL-safe base64 back to standard base64. */
  const cloudFrontBase64 = (text: string) => Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');

  function checkSignature(url: string, publicKey: crypto.KeyObject) {
    const parsed = new URL(url);
    const expires = parsed.searchParams.get('Expires')!;
    const signature = parsed.searchParams.get('Signature')!;
    expect(parsed.searchParams.get('Key-Pair-Id')).toBe('K2JCJMDEHXQW5F');
    // The canned policy covers the URL as requested, up to the parameters CloudFront reads itself (appended last).
    const appended = /[?&]Expires=\d+&Key-Pair-Id=[^&]+&Signature=[^&]+$/.exec(url);
    expect(appended).not.toBeNull();
    const resource = url.slice(0, appended!.index);
    const policy = JSON.stringify({ Statement: [{ Resource: resource, Condition: { DateLessThan: { 'AWS:EpochTime': Number(expires) } } }] });
    return { expires: Number(expires), valid: crypto.verify('RSA-SHA1', Buffer.from(policy), publicKey, cloudFrontBase64(signature)) };
  }

  it('carry Expires, Signature and Key-Pair-Id, signed by the configured private key', async () => {
    const { url, expiresAt } = await cdnStorage().signedUrl('recordings/abc/video.mp4', { expiresInSeconds: 600 });
    expect(url.startsWith('https://d111111abcdef8.cloudfront.net/recordings/abc/video.mp4?')).toBe(true);
    const { expires, valid } = checkSignature(url, keys.publicKey);
    expect(expires).toBe(fixedNow / 1000 + 600);
    expect(expiresAt.getTime()).toBe(expires * 1000);
    expect(valid).toBe(true);
    // The check can fail: another key pair's public key does not verify it.
    expect(checkSignature(url, crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey).valid).toBe(false);
  });

  it('sign the download name into the URL, and accept the PEM as a .env line holds it (literal \\n)', async () => {
    const escaped = privateKeyPem.trim().replace(/\n/g, '\\n');
    const { url } = await cdnStorage(escaped).signedUrl('recordings/abc/video.mp4', { expiresInSeconds: 60, downloadName: 'Class 1.mp4' });
    expect(new URL(url).searchParams.get('response-content-disposition')).toMatch(/^attachment; filename="Class 1\.mp4"/);
    expect(checkSignature(url, keys.publicKey).valid).toBe(true);
  });

  it('refuse a key that is not an RSA private key, at start', () => {
    expect(() => cdnStorage('not a pem')).toThrow('CLOUDFRONT_PRIVATE_KEY is not a readable PEM private key');
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => cdnStorage(ec)).toThrow(/must be an RSA key/);
  });
});

// ── The signed file route ─────────────────────────────────────────────────────────────────

describe('serveSignedFile', () => {
  let clock: number;
  let storage: DiskStorage;
  const bytes = crypto.randomBytes(5000);

  beforeAll(async () => {
    clock = Date.UTC(2026, 4, 17, 9, 30, 0);
    storage = diskStorage({ root: path.join(tmp, 'route'), publicUrl: 'https://cms.example.test/', secret: SECRET, now: () => clock });
    await storage.putBuffer('recordings/r1/video.mp4', bytes, { contentType: 'video/mp4' });
    await storage.putBuffer('recordings/r1/poster.jpg', Buffer.from('jpeg'), { contentType: 'image/jpeg' });
    await storage.putBuffer('recordings/r1/playlist.m3u8', Buffer.from('#EXTM3U\n'), { contentType: 'application/vnd.apple.mpegurl' });
    await storage.putBuffer('recordings/r1/empty.json', Buffer.alloc(0), { contentType: 'application/json' });
  });

  const link = async (key: string, options: { expiresInSeconds?: number; downloadName?: string } = {}) => {
    const { url } = await storage.signedUrl(key, { expiresInSeconds: options.expiresInSeconds ?? 300, downloadName: options.downloadName });
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe(`https://cms.example.test/api/live/files/${key}`);
    return { key, query: queryOf(parsed) };
  };
  const read = async (answer: FileResponse) => {
    if (answer.body === undefined || typeof answer.body === 'string') return Buffer.from(answer.body ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of answer.body as Readable) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const errorMessage = (answer: FileResponse) => JSON.parse(String(answer.body)).error.message;

  it('serves a valid link: 200, the bytes, the type, private caching no longer than the link lives', async () => {
    const answer = await serveSignedFile(storage, { method: 'GET', ...(await link('recordings/r1/video.mp4', { expiresInSeconds: 120 })) });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Content-Length': '5000', 'Cache-Control': 'private, max-age=120' });
    expect(answer.headers['Content-Disposition']).toBeUndefined();
    expect((await read(answer)).equals(bytes)).toBe(true);

    clock += 100_000;
    const later = await serveSignedFile(storage, { method: 'GET', ...(await link('recordings/r1/video.mp4', { expiresInSeconds: 30 })) });
    expect(later.headers['Cache-Control']).toBe('private, max-age=30');
    await read(later);
  });

  it.each([
    ['recordings/r1/poster.jpg', 'image/jpeg'],
    ['recordings/r1/playlist.m3u8', 'application/vnd.apple.mpegurl'],
    ['recordings/r1/empty.json', 'application/json'],
  ])('types %s as %s', async (key, type) => {
    const answer = await serveSignedFile(storage, { method: 'GET', ...(await link(key)) });
    expect(answer.status).toBe(200);
    expect(answer.headers['Content-Type']).toBe(type);
    await read(answer);
  });

  it('refuses a tampered link as not valid (403), whatever was changed', async () => {
    const good = await link('recordings/r1/video.mp4');
    const sig = String(good.query.sig);
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const tampered: Record<string, unknown>[] = [
      { ...good.query, sig: flipped },
      { ...good.query, exp: String(Number(good.query.exp) + 3600) },
      { ...good.query, dl: 'renamed.mp4' },
      { exp: good.query.exp },
      { ...good.query, sig: [sig, sig] },
      {},
    ];
    for (const query of tampered) {
      const answer = await serveSignedFile(storage, { method: 'GET', key: good.key, query });
      expect([answer.status, errorMessage(answer)]).toEqual([403, 'This link is not valid']);
    }
    // A link to one file does not open another.
    const other = await serveSignedFile(storage, { method: 'GET', key: 'recordings/r1/poster.jpg', query: good.query });
    expect([other.status, errorMessage(other)]).toEqual([403, 'This link is not valid']);
    // Nor a path out of the folder.
    const escape = await serveSignedFile(storage, { method: 'GET', key: '../../etc/passwd', query: good.query });
    expect([escape.status, errorMessage(escape)]).toEqual([403, 'This link is not valid']);
  });

  it('says a genuine link has expired (403, its own message)', async () => {
    const good = await link('recordings/r1/video.mp4', { expiresInSeconds: 5 });
    clock += 5_000;
    const answer = await serveSignedFile(storage, { method: 'GET', ...good });
    expect([answer.status, errorMessage(answer)]).toEqual([403, 'This link has expired']);
    expect(answer.headers['Cache-Control']).toBe('no-store');
  });

  it('serves a range (206) and refuses one past the end (416)', async () => {
    const good = await link('recordings/r1/video.mp4');
    const middle = await serveSignedFile(storage, { method: 'GET', ...good, range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers).toMatchObject({ 'Content-Range': 'bytes 1000-1999/5000', 'Content-Length': '1000' });
    expect((await read(middle)).equals(bytes.subarray(1000, 2000))).toBe(true);

    const tail = await serveSignedFile(storage, { method: 'GET', ...good, range: 'bytes=-100' });
    expect(tail.headers['Content-Range']).toBe('bytes 4900-4999/5000');
    expect((await read(tail)).equals(bytes.subarray(4900))).toBe(true);

    const open = await serveSignedFile(storage, { method: 'GET', ...good, range: 'bytes=4990-' });
    expect(open.headers['Content-Range']).toBe('bytes 4990-4999/5000');
    expect((await read(open)).length).toBe(10);

    const clipped = await serveSignedFile(storage, { method: 'GET', ...good, range: 'bytes=4000-999999' });
    expect(clipped.headers['Content-Range']).toBe('bytes 4000-4999/5000');
    await read(clipped);

    const past = await serveSignedFile(storage, { method: 'GET', ...good, range: 'bytes=5000-6000' });
    expect(past.status).toBe(416);
    expect(past.headers['Content-Range']).toBe('bytes */5000');

    // Several ranges or a malformed header: the whole file (RFC 9110 allows ignoring Range).
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-3']) {
      const whole = await serveSignedFile(storage, { method: 'GET', ...good, range });
      expect(whole.status).toBe(200);
      expect((await read(whole)).length).toBe(5000);
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const good = await link('recordings/r1/video.mp4');
    const head = await serveSignedFile(storage, { method: 'HEAD', ...good });
    expect(head.status).toBe(200);
    expect(head.headers['Content-Length']).toBe('5000');
    expect(head.body).toBeUndefined();
    const headRange = await serveSignedFile(storage, { method: 'HEAD', ...good, range: 'bytes=0-9' });
    expect([headRange.status, headRange.headers['Content-Length'], headRange.body]).toEqual([206, '10', undefined]);
  });

  it('names the download when the link says so', async () => {
    const answer = await serveSignedFile(storage, { method: 'GET', ...(await link('recordings/r1/video.mp4', { downloadName: 'Live class — 17 May.mp4' })) });
    expect(answer.headers['Content-Disposition']).toBe(`attachment; filename="Live class _ 17 May.mp4"; filename*=UTF-8''Live%20class%20%E2%80%94%2017%20May.mp4`);
    await read(answer);
  });

  it('404 for a file that is gone, 405 for other methods', async () => {
    const gone = await serveSignedFile(storage, { method: 'GET', ...(await link('recordings/r1/deleted.mp4')) });
    expect([gone.status, errorMessage(gone)]).toEqual([404, 'This file no longer exists']);
    const post = await serveSignedFile(storage, { method: 'POST', ...(await link('recordings/r1/video.mp4')) });
    expect(post.status).toBe(405);
    expect(post.headers.Allow).toBe('GET, HEAD');
  });
});

describe('file link signatures (shared with /uploads links)', () => {
  it('sign a key, an expiry and a download name, independent of any URL prefix', () => {
    const exp = 1_800_000_000;
    const sig = signFileUrl(SECRET, 'lesson-video_abc123.mp4', exp);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const now = (exp - 10) * 1000;
    expect(verifyFileUrl(SECRET, 'lesson-video_abc123.mp4', { exp: String(exp), sig }, now)).toEqual({ ok: true, expiresAt: new Date(exp * 1000), downloadName: undefined });
    expect(verifyFileUrl(SECRET, 'lesson-video_other.mp4', { exp: String(exp), sig }, now)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verifyFileUrl('another-secret-of-enough-length', 'lesson-video_abc123.mp4', { exp: String(exp), sig }, now)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verifyFileUrl(SECRET, 'lesson-video_abc123.mp4', { exp: String(exp), sig }, exp * 1000)).toMatchObject({ ok: false, reason: 'expired', message: 'This link has expired' });

    const query = new URLSearchParams(signedFileQuery(SECRET, 'x.mp4', exp, 'Lesson 1.mp4'));
    expect(verifyFileUrl(SECRET, 'x.mp4', Object.fromEntries(query), now)).toMatchObject({ ok: true, downloadName: 'Lesson 1.mp4' });
    query.delete('dl');
    expect(verifyFileUrl(SECRET, 'x.mp4', Object.fromEntries(query), now)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuse to sign with a weak secret', () => {
    expect(() => signFileUrl('short', 'x.mp4', 1)).toThrow(/at least 16 characters/);
    expect(() => diskStorage({ root: tmp, publicUrl: 'http://x', secret: '' })).toThrow(/at least 16 characters/);
  });
});

describe('createObjectStorage (the configuration picks the backend)', () => {
  const context = () => ({ publicUrl: 'http://localhost:1337', secret: SECRET, cmsDir: path.join(tmp, 'cms') });

  it('UPLOAD_PROVIDER=local (the default): a folder at LOCAL_STORAGE_DIR, relative to cms/', async () => {
    const storage = createObjectStorage(envSchema.parse({}), context());
    expect(storage.kind).toBe('disk');
    expect((storage as DiskStorage).root).toBe(path.join(tmp, 'cms', '.data', 'storage'));
    const absolute = createObjectStorage(envSchema.parse({ LOCAL_STORAGE_DIR: path.join(tmp, 'elsewhere') }), context());
    expect((absolute as DiskStorage).root).toBe(path.join(tmp, 'elsewhere'));
    expect((await absolute.signedUrl('a/b.mp4', { expiresInSeconds: 60 })).url).toMatch(/^http:\/\/localhost:1337\/api\/live\/files\/a\/b\.mp4\?exp=\d+&sig=/);
  });

  it('UPLOAD_PROVIDER=s3: S3_BUCKET on S3_ENDPOINT, presigned; CloudFront-signed when the CDN key pair is set; another bucket never through the CDN', async () => {
    const s3Env = {
      UPLOAD_PROVIDER: 's3',
      S3_BUCKET: BUCKET,
      AWS_REGION: 'eu-west-1',
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    };
    const storage = createObjectStorage(envSchema.parse(s3Env), context());
    expect(storage.kind).toBe('s3');
    await storage.putBuffer('config/check.json', Buffer.from('{"ok":true}'), { contentType: 'application/json' });
    const presigned = new URL((await storage.signedUrl('config/check.json', { expiresInSeconds: 60 })).url);
    expect(presigned.origin + presigned.pathname).toBe(`${s3.endpoint}/${BUCKET}/config/check.json`);
    expect(presigned.searchParams.get('X-Amz-Credential')).toMatch(/\/eu-west-1\/s3\/aws4_request$/);
    expect(await (await fetch(presigned)).text()).toBe('{"ok":true}');

    const pem = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cdnEnv = envSchema.parse({ ...s3Env, S3_REGION: 'ap-south-1', CDN_URL: 'https://media.example.test', CLOUDFRONT_KEY_PAIR_ID: 'KPAIR', CLOUDFRONT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    const viaCdn = await createObjectStorage(cdnEnv, context()).signedUrl('config/check.json', { expiresInSeconds: 60 });
    expect(viaCdn.url).toMatch(/^https:\/\/media\.example\.test\/config\/check\.json\?Expires=\d+&Key-Pair-Id=KPAIR&Signature=/);

    const ivs = s3StorageForBucket(cdnEnv, 'ivs-recordings');
    expect(ivs.bucket).toBe('ivs-recordings');
    const ivsUrl = new URL((await ivs.signedUrl('ivs/v1/x/master.m3u8', { expiresInSeconds: 60 })).url);
    expect(ivsUrl.origin + ivsUrl.pathname).toBe(`${s3.endpoint}/ivs-recordings/ivs/v1/x/master.m3u8`);
    expect(ivsUrl.searchParams.get('X-Amz-Credential')).toMatch(/\/ap-south-1\/s3\/aws4_request$/);
  });
});
