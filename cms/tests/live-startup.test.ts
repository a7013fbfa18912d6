import net from 'node:net';
import { startStrapi, freePort, type TestApp } from './helpers/strapi';

/** A taken RTMP port doesn't take Strapi down with it: health says why live video is off. */
let app: TestApp;
let squatter: net.Server;
let port: number;

beforeAll(async () => {
  port = await freePort();
  squatter = net.createServer().listen(port, '0.0.0.0');
  await new Promise((resolve) => squatter.once('listening', resolve));
  app = await startStrapi({ LOCAL_RTMP_PORT: String(port) });
});
afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => squatter.close(resolve));
  delete process.env.LOCAL_RTMP_PORT;
});

it('boots with the ingest port taken, serves the catalog, and reports live video as down with the reason', async () => {
  const health = await app.http.get('/api/live/health');
  expect(health.status).toBe(200);
  expect(health.body.liveVideo).toMatch(/^down: /);
  expect(health.body.liveVideo).toContain(String(port));
  expect(health.body.liveVideo).toContain('LOCAL_RTMP_PORT');
  expect((await app.http.get('/api/courses')).status).toBe(200);
});
