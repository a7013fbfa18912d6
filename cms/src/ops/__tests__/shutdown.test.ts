/**
 * The shutdown sequence on a real HTTP server with a stand-in for the rest of Strapi: draining
 * first, a notice on SIGTERM during which requests are still served, then no new connections, the
 * sockets drained, the request in flight finished, and only then destroy and exit 0; the grace
 * deadline forces exit 1; a repeated signal within a second is the same stop.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDraining, resetLifecycle } from '@skillyug/live/utils/lifecycle';
import { installGracefulShutdown } from '../shutdown';

type Step = string;

let server: http.Server;
let url: string;
let steps: Step[];
let release: () => void;
let drained: Promise<void>;
let markDrained: () => void;
let listenersBefore: Record<'SIGTERM' | 'SIGINT', ((...args: any[]) => void)[]>;

function fakeStrapi(options: { destroy?: () => Promise<void> } = {}) {
  return {
    log: { info: () => undefined, warn: (m: string) => steps.push(`warn ${m}`), error: (m: string) => steps.push(`error ${m}`) },
    server: { httpServer: server },
    plugin: () => ({
      service: () => ({
        drain: async () => {
          steps.push('drain sockets');
          markDrained();
          return { sockets: 3, unfinished: 0 };
        },
      }),
    }),
    destroy: options.destroy ?? (async () => void steps.push('destroy')),
  } as any;
}

beforeEach(async () => {
  resetLifecycle();
  steps = [];
  drained = new Promise((resolve) => (markDrained = resolve));
  listenersBefore = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
  server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      steps.push('slow request started');
      release = () => {
        steps.push('slow request answered');
        res.end('done');
      };
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) if (!listenersBefore[signal].includes(listener)) process.removeListener(signal, listener);
  }
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  resetLifecycle();
});

it('on SIGINT stops accepting at once, drains, then destroys and exits 0', async () => {
  const exited = new Promise<number>((resolve) => installGracefulShutdown(fakeStrapi(), { graceSeconds: 5, exit: resolve }).shutdown('SIGINT'));
  expect(isDraining()).toBe(true);
  // SIGINT: no notice, so a request after the signal finds the server closed.
  const late = await fetch(`${url}/slow`).then(
    () => 'answered',
    (error: Error & { cause?: { code?: string } }) => error.cause?.code
  );
  expect(late).toBe('ECONNREFUSED');
  expect(await exited).toBe(0);
  expect(steps).toEqual(['drain sockets', 'destroy']);
});

it('on SIGTERM keeps serving through the notice, then finishes what is in flight before destroying', async () => {
  const shutdown = installGracefulShutdown(fakeStrapi(), { graceSeconds: 4, exit: (code) => steps.push(`exit ${code}`) });
  const slow = fetch(`${url}/slow`).then((res) => res.text());
  await new Promise<void>((resolve) => server.once('request', () => setImmediate(resolve)));
  const done = shutdown.shutdown('SIGTERM');
  // During the notice (1 s of a 4 s grace) a new request is still answered.
  expect(await (await fetch(`${url}/`)).text()).toBe('ok');
  // The notice ends: sockets drained; the slow request holds destroy back until it is answered.
  await drained;
  expect(server.listening).toBe(false);
  expect(steps).not.toContain('destroy');
  release();
  expect(await slow).toBe('done');
  await done;
  expect(steps).toEqual(['slow request started', 'drain sockets', 'slow request answered', 'destroy', 'exit 0']);
});

it('exits 1 at the grace deadline when something hangs, and ignores a repeated signal within a second', async () => {
  const exits: number[] = [];
  let exited: () => void = () => undefined;
  const firstExit = new Promise<void>((resolve) => (exited = resolve));
  const startedAt = Date.now();
  const shutdown = installGracefulShutdown(fakeStrapi({ destroy: () => new Promise<void>(() => undefined) }), {
    graceSeconds: 1,
    exit: (code) => {
      exits.push(code);
      exited();
    },
  });
  void shutdown.shutdown('SIGINT');
  void shutdown.shutdown('SIGTERM');
  expect(exits).toEqual([]);
  await firstExit;
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
  expect(exits).toEqual([1]);
  expect(steps.some((s) => s.startsWith('error') && s.includes('SHUTDOWN_GRACE_SECONDS'))).toBe(true);
});
