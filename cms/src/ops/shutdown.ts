import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import { isDraining, startDraining } from '@skillyug/live/utils/lifecycle';

/**
 * Graceful shutdown on SIGTERM (ECS stopping a task, a rolling deploy, `npm run ops:cluster`'s
 * Ctrl-C), in this order:
 *
 * 1. Draining: readiness (`/api/ready`) answers 503 `shutting down`; classroom clients are told
 *    (`server:draining`, `bye` with reconnect: true). On SIGTERM the process keeps
 *    serving for a notice period (a quarter of the grace, at most 5 s) so a balancer that probes
 *    readiness stops sending new work here; SIGINT (a developer's Ctrl-C) skips it.
 * 2. The HTTP server stops accepting connections; responses from here on close theirs.
 * 3. The classroom's sockets, told `server:draining` at step 1, have their transports closed: each
 *    client reconnects by itself, to another process, and re-sends what wasn't acked (the server
 *    stores a clientId once). The client events already running here finish first.
 * 4. In-flight HTTP requests finish.
 * 5. `strapi.destroy()` (plugins, the database pool, Redis) and exit 0.
 *
 * SHUTDOWN_GRACE_SECONDS bounds all of it: at the deadline, or on a second signal, the process
 * exits 1 whatever is left. Strapi's own handler (destroy at once, then exit) is replaced.
 */

type Log = Pick<Core.Strapi['log'], 'info' | 'warn' | 'error'>;

export type ShutdownOptions = {
  graceSeconds: number;
  /** Injected by tests; process.exit otherwise. */
  exit?: (code: number) => void;
};

/** Requests under this path are socket.io long-polls: they end when their sockets close, not by themselves. */
const REALTIME_PREFIX = '/realtime/';
const NOTICE_SHARE = 0.25;
const NOTICE_MAX_MS = 5_000;
/**
 * A second signal this soon after the first is the same stop delivered twice (a terminal's Ctrl-C
 * reaches every process of the group, then a supervisor such as npm start forwards its own): ignored.
 */
const DUPLICATE_SIGNAL_MS = 1_000;

/** Counts the HTTP requests running now; `idle(deadline)` resolves when there are none (or at the deadline). */
export function trackRequests(http: Server) {
  let running = 0;
  let waiters: (() => void)[] = [];
  // Before the app's own listener: counted (and marked) before anything can answer it.
  http.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith(REALTIME_PREFIX)) return;
    running += 1;
    // A keep-alive connection must not carry another request to a process that is going away.
    if (isDraining() && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      running -= 1;
      if (running === 0) {
        const ready = waiters;
        waiters = [];
        for (const wake of ready) wake();
      }
    });
  });
  return {
    get running() {
      return running;
    },
    idle(deadline: number): Promise<void> {
      if (running === 0) return Promise.resolve();
      return new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
      });
    },
  };
}

/** The name our signal handlers carry, so a later install replaces an earlier one. */
const GRACEFUL_HANDLER = 'skillyugGracefulShutdown';

/** Strapi's handler from createStrapi (utils/signals.js: destroy, then exit), found by its name. */
const isStrapiSignalHandler = (listener: (...args: any[]) => unknown) => listener.name === 'terminateStrapi';

export function installGracefulShutdown(strapi: Core.Strapi, { graceSeconds, exit = (code) => process.exit(code) }: ShutdownOptions) {
  const log: Log = strapi.log;
  const http = strapi.server.httpServer as Server;
  const requests = trackRequests(http);
  let startedAt: number | null = null;

  async function shutdown(signal: NodeJS.Signals) {
    if (startedAt !== null) {
      if (Date.now() - startedAt < DUPLICATE_SIGNAL_MS) return;
      log.warn(`[shutdown] ${signal} again: exiting now`);
      return exit(1);
    }
    startedAt = Date.now();
    const graceMs = graceSeconds * 1000;
    const deadline = Date.now() + graceMs;
    const force = setTimeout(() => {
      log.error(`[shutdown] still running after SHUTDOWN_GRACE_SECONDS=${graceSeconds}: exiting anyway`);
      exit(1);
    }, graceMs);
    startDraining();
    const gateway = strapi.plugin('live')?.service('realtimeGateway') as
      | { announceDraining?: () => void; drain?: (deadline: number) => Promise<{ sockets: number; unfinished: number }> }
      | undefined;
    gateway?.announceDraining?.();
    const noticeMs = signal === 'SIGTERM' ? Math.min(NOTICE_MAX_MS, graceMs * NOTICE_SHARE) : 0;
    log.info(`[shutdown] ${signal}: draining (readiness answers 503), ${noticeMs} ms notice, ${graceSeconds} s at most`);
    try {
      if (noticeMs > 0) await new Promise((resolve) => setTimeout(resolve, noticeMs));
      // No new connections; the ones open finish what they carry.
      http.close();
      const sockets = (await gateway?.drain?.(deadline)) ?? { sockets: 0, unfinished: 0 };
      await requests.idle(deadline);
      http.closeIdleConnections();
      log.info(`[shutdown] ${sockets.sockets} sockets sent elsewhere${sockets.unfinished ? ` (${sockets.unfinished} events unfinished)` : ''}, ${requests.running} requests unfinished; closing`);
      await strapi.destroy();
      clearTimeout(force);
      exit(0);
    } catch (error) {
      log.error(`[shutdown] failed: ${(error as Error).message}`);
      clearTimeout(force);
      exit(1);
    }
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) {
      // Strapi's, and ours from an earlier Strapi in this process (test suites boot one per file).
      if (isStrapiSignalHandler(listener) || listener.name === GRACEFUL_HANDLER) process.removeListener(signal, listener);
    }
    process.on(signal, { [GRACEFUL_HANDLER]: () => void shutdown(signal) }[GRACEFUL_HANDLER]);
  }
  return { shutdown };
}
