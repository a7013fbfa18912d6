import type { Core } from '@strapi/strapi';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, in one registry shared by the cms (HTTP middleware, the
 * endpoints) and the live plugin (one-line counters where things happen), through
 * `@skillyug/live/utils/metrics`. Labels only ever take values from a short, fixed set (route
 * patterns, statuses, states): a raw URL or an id in a label would grow the series without bound.
 * Served only when METRICS_PORT or METRICS_TOKEN is set (cms/src/metrics-endpoint.ts).
 */
export const registry = new Registry();

let defaultMetricsOn = false;
/** Node's own: event-loop lag, heap and RSS, GC pauses, handles, CPU (started with the endpoint, once). */
export function collectProcessMetrics(): void {
  if (defaultMetricsOn) return;
  defaultMetricsOn = true;
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
}

const HTTP_LABELS = ['method', 'route', 'status'] as const;

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered by Strapi, by method, matched route pattern and status',
  labelNames: HTTP_LABELS,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from receiving an HTTP request to its response, by method, matched route pattern and status',
  labelNames: HTTP_LABELS,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The label for a request's route when no route matched (static files, 404s): never the URL itself. */
export const UNMATCHED_ROUTE = 'unmatched';

/** One answered request: counted and timed under its route pattern. */
export function observeHttpRequest(method: string, route: string | undefined, status: number, seconds: number): void {
  const labels = { method: METHODS.has(method) ? method : 'other', route: route ?? UNMATCHED_ROUTE, status: String(status) };
  httpRequests.inc(labels);
  httpRequestDuration.observe(labels, seconds);
}

export const chatMessages = new Counter({
  name: 'live_chat_messages_total',
  help: 'Chat messages stored by this process (CHAT: sent by people, SYSTEM: class events)',
  labelNames: ['type'] as const,
  registers: [registry],
});

export const classJoins = new Counter({
  name: 'live_joins_total',
  help: 'Successful joins of a live class (live: playback granted; waiting: the class has not started)',
  labelNames: ['stage'] as const,
  registers: [registry],
});

export const signalsSent = new Counter({
  name: 'live_signals_total',
  help: "Students' classroom signals (\"I'm lost\", \"slow down\")",
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const paymentOutcomes = new Counter({
  name: 'live_payment_outcomes_total',
  help: 'Payments settled: captured (paid, access granted), failed, refunded, and the ones changing nothing (duplicate, pending, mismatch, second_payment, ignored)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** What the payment services return, as the label (a fixed set: an unknown one is counted as "other"). */
const PAYMENT_OUTCOME_LABELS: Record<string, string> = {
  fulfilled: 'captured',
  'already-paid': 'duplicate',
  'paid-by-another-payment': 'second_payment',
  mismatch: 'mismatch',
  'not-captured': 'pending',
  failed: 'failed',
  refunded: 'refunded',
  'already-refunded': 'duplicate',
  ignored: 'ignored',
};

/**
 * Counts a settlement's outcome once its transaction has committed, and passes the result on.
 * `operation` tells a refund applied apart from a capture refused because the order was refunded.
 */
export function countPaymentOutcome<T extends { outcome: string }>(operation: 'capture' | 'failure' | 'refund', result: T): T {
  const outcome = operation === 'capture' && result.outcome === 'refunded' ? 'ignored' : (PAYMENT_OUTCOME_LABELS[result.outcome] ?? 'other');
  paymentOutcomes.inc({ outcome });
  return result;
}

export const recordingsProcessed = new Counter({
  name: 'live_recordings_processed_total',
  help: 'Recording jobs finished by this process (ready or failed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Where the gauges read their values from, once Strapi is up (observeLive). */
type Sources = {
  sessionsByState: () => Promise<Record<string, number>>;
  recordingJobs: () => Promise<{ waiting: number; running: number }>;
  connectedSockets: () => number;
  onError: (what: string, error: Error) => void;
};
let sources: Sources | null = null;

/** A scrape must not hang on a database that is down: a read taking longer gives up (the series are left out). */
const READ_TIMEOUT_MS = 2_000;
function withTimeout<T>(read: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([read, timeout]).finally(() => clearTimeout(timer));
}

export const SESSION_STATES = ['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED'] as const;

export const liveSessions = new Gauge({
  name: 'live_sessions',
  help: 'Live sessions in the database by state (read at scrape time)',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    if (!sources) return;
    try {
      const counts = await withTimeout(sources.sessionsByState());
      for (const state of SESSION_STATES) this.set({ state }, counts[state] ?? 0);
    } catch (error) {
      this.reset();
      sources.onError('live sessions', error as Error);
    }
  },
});

export const recordingJobs = new Gauge({
  name: 'live_recording_jobs',
  help: 'Recording processing backlog: jobs waiting for a worker, and jobs a worker holds (any process)',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    if (!sources) return;
    try {
      const { waiting, running } = await withTimeout(sources.recordingJobs());
      this.set({ state: 'waiting' }, waiting);
      this.set({ state: 'running' }, running);
    } catch (error) {
      this.reset();
      sources.onError('recording jobs', error as Error);
    }
  },
});

export const connectedSockets = new Gauge({
  name: 'live_connected_sockets',
  help: 'Realtime (socket.io) connections open on this process',
  registers: [registry],
  collect() {
    if (sources) this.set(sources.connectedSockets());
  },
});

const RECORDING_UID = 'plugin::live.live-recording';

/** Points the gauges at this Strapi's database and realtime gateway. A failing read is logged once per outage, not on every scrape. */
export function observeLive(strapi: Core.Strapi): void {
  const failing = new Set<string>();
  const ok = <T>(what: string, value: T) => {
    if (failing.delete(what)) strapi.log.info(`[metrics] reading ${what} works again`);
    return value;
  };
  sources = {
    async sessionsByState() {
      const rows: { status: string; n: number | string }[] = await strapi.db.connection('live_sessions').select('status').count({ n: '*' }).groupBy('status');
      return ok('live sessions', Object.fromEntries(rows.map((row) => [row.status, Number(row.n)])));
    },
    async recordingJobs() {
      const now = new Date();
      const query = strapi.db.query(RECORDING_UID as any);
      const [waiting, total] = await Promise.all([
        query.count({ where: { status: 'processing', $or: [{ leaseUntil: { $null: true } }, { leaseUntil: { $lt: now } }] } }),
        query.count({ where: { status: 'processing' } }),
      ]);
      return ok('recording jobs', { waiting: Number(waiting), running: Number(total) - Number(waiting) });
    },
    connectedSockets: () => strapi.plugin('live').service('realtimeGateway').connectedSockets() as number,
    onError(what, error) {
      if (failing.has(what)) return;
      failing.add(what);
      strapi.log.warn(`[metrics] reading ${what} failed (left out of the scrape until it works): ${error.message}`);
    },
  };
}

/** Detaches the gauges (Strapi is stopping). */
export function stopObservingLive(): void {
  sources = null;
}

/** The exposition text and its content type, for an HTTP response. */
export async function metricsPayload(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
