import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { resetEnvCache } from '@skillyug/config';
import { startMetrics, stopMetrics } from '../metrics-endpoint';

/** A free loopback port (listen on 0, read it, close). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Enough of Strapi for the endpoint: a log, and a database and gateway the gauges read at scrape time. */
const fakeStrapi = (sessions: { status: string; n: number }[]) => {
  const logged: string[] = [];
  const knex: any = () => ({ select: () => ({ count: () => ({ groupBy: async () => sessions }) }) });
  return {
    logged,
    strapi: {
      log: { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) },
      db: { connection: knex, query: () => ({ count: async () => 0 }) },
      plugin: () => ({ service: () => ({ connectedSockets: () => 3 }) }),
    } as any,
  };
};

function withEnv(env: Record<string, string>) {
  Object.assign(process.env, { SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-no-env-file'), ...env });
  resetEnvCache();
}

afterEach(async () => {
  await stopMetrics();
  delete process.env.METRICS_PORT;
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
});

describe('the metrics server (METRICS_PORT)', () => {
  it('serves GET /metrics on loopback outside production, with the live gauges, and is closed by stopMetrics (Strapi destroy)', async () => {
    const port = await freePort();
    withEnv({ METRICS_PORT: String(port) });
    const { strapi } = fakeStrapi([{ status: 'LIVE', n: 2 }, { status: 'SCHEDULED', n: 5 }]);
    await startMetrics(strapi);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('live_sessions{state="LIVE"} 2');
    expect(text).toContain('live_sessions{state="SCHEDULED"} 5');
    expect(text).toContain('live_sessions{state="ENDED"} 0');
    expect(text).toContain('live_connected_sockets 3');
    expect(text).toContain('live_recording_jobs{state="waiting"} 0');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);

    await stopMetrics();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('leaves a gauge out of the scrape while its database read fails, logging that once', async () => {
    const port = await freePort();
    withEnv({ METRICS_PORT: String(port) });
    const { strapi, logged } = fakeStrapi([]);
    strapi.db.connection = () => ({ select: () => ({ count: () => ({ groupBy: async () => Promise.reject(new Error('connection refused')) }) }) });
    await startMetrics(strapi);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toMatch(/^live_sessions\{/m);
      expect(text).toContain('live_connected_sockets 3');
    }
    expect(logged.filter((line) => line.includes('reading live sessions failed'))).toHaveLength(1);
  });

  it('starts nothing when neither METRICS_PORT nor METRICS_TOKEN is set, and refuses a port in use with a clear error', async () => {
    withEnv({});
    const { strapi, logged } = fakeStrapi([]);
    await startMetrics(strapi);
    expect(logged).toEqual([]);

    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    withEnv({ METRICS_PORT: String((busy.address() as net.AddressInfo).port) });
    await expect(startMetrics(strapi)).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(METRICS_PORT\): EADDRINUSE/);
    busy.close();
  });
});
