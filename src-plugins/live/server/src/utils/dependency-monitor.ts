/**
 * Whether the process's dependencies — the database and, when REDIS_URL is set, Redis — answer,
 * as the outage middleware (cms/src/middlewares/dependency-outage.ts), the realtime handshake
 * and the readiness route (/api/ready) need to know it:
 *  - `knownDown()` without waiting: the database while a check has found it down (until a check
 *    finds it back), Redis while its connection isn't ready. During an outage requests are
 *    answered 503 at once instead of each waiting on a dead connection.
 *  - `check()` after a request failed suspiciously: one `select 1` at a time however many requests
 *    ask (coalesced), its answer reused for CACHE_MS, never waiting more than TIMEOUT_MS.
 * Once the database is found down it is probed every RETRY_MS in the background until it answers,
 * so recovery needs no request and no restart. Each outage is logged once when it starts (with the
 * real reason: the log may name hosts, the answers never do) and once when it ends.
 * Pure (probes and clock injected); the live plugin's `dependencies` service wires it to Strapi.
 */
export type Dependency = 'database' | 'redis';
export type CheckResult = 'ok' | 'down' | 'off';

/** What the monitor needs of an ioredis client. */
export type RedisLike = {
  status: string;
  ping(): Promise<unknown>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
};

export type MonitorLog = { error(message: string): void; warn(message: string): void };

export type MonitorOptions = {
  /** Resolves when the database answers a trivial query; rejects (with why) when it doesn't. */
  probeDatabase: () => Promise<unknown>;
  /** The process's Redis connection, or null when Redis isn't configured. */
  redis: () => RedisLike | null;
  log: MonitorLog;
  timeoutMs?: number;
  cacheMs?: number;
  retryMs?: number;
  now?: () => number;
};

/** Seconds a client is told to wait (Retry-After) while a dependency is down or the process drains. */
export const RETRY_AFTER_SECONDS = 5;
export const TIMEOUT_MS = 1_500;
const CACHE_MS = 250;
const MAX_PENDING_PROBES = 3;
const RETRY_MS = 250;

/** The plain sentence every request gets during an outage (no host, no error text). */
export const outageMessage = (down: readonly string[]) => `Skillyug is briefly unavailable (${down.join(', ')}). Try again in a few seconds.`;

/** Rejects with "timed out after N ms" unless `promise` settles first. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const reasonOf = (error: unknown): string => {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown } | undefined;
  // Node's connect to a name with several addresses fails with an AggregateError and no message of its own.
  if (!e?.message && Array.isArray(e?.errors) && e.errors.length > 0) return e.errors.map(reasonOf).join('; ');
  const message = typeof e?.message === 'string' && e.message ? e.message : String(error);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
};

export function createDependencyMonitor(options: MonitorOptions) {
  const { probeDatabase, log } = options;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const cacheMs = options.cacheMs ?? CACHE_MS;
  const retryMs = options.retryMs ?? RETRY_MS;
  const now = options.now ?? Date.now;

  /** Since when each dependency has been down (absent: up). */
  const downSince = new Map<Dependency, number>();
  let lastDatabaseCheck: { at: number; ok: boolean } | null = null;
  let databaseCheck: Promise<boolean> | null = null;
  /**
   * `select 1`s that outlived their timeout still wait for a pool slot or an answer. A few may be
   * pending at once — one stuck on a connection that died mid-outage must not keep the database
   * "down" after it is back — but never more than MAX_PENDING_PROBES, so a wedged pool isn't
   * flooded with queued checks.
   */
  let pendingProbes = 0;
  let stuckReported = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  let lastRedisError = '';
  const watchedClients = new WeakSet<object>();

  function markDown(dependency: Dependency, reason: string) {
    if (downSince.has(dependency)) return;
    downSince.set(dependency, now());
    log.error(`[outage] ${dependency} unavailable (${reason}): requests are answered 503 until it is back`);
  }

  function markUp(dependency: Dependency) {
    const since = downSince.get(dependency);
    if (since === undefined) return;
    downSince.delete(dependency);
    log.warn(`[outage] ${dependency} is back after ${((now() - since) / 1000).toFixed(1)} s: serving requests again`);
  }

  async function probeDatabaseOnce(): Promise<boolean> {
    let ok = false;
    let reason = `${MAX_PENDING_PROBES} earlier checks are still waiting for an answer`;
    if (pendingProbes < MAX_PENDING_PROBES) {
      pendingProbes += 1;
      const query = Promise.resolve()
        .then(probeDatabase)
        .finally(() => {
          pendingProbes -= 1;
        });
      try {
        await withTimeout(query, timeoutMs);
        ok = true;
      } catch (error) {
        reason = reasonOf(error);
      }
    } else if (!stuckReported) {
      // Every check slot waits on a query the database never answered: worth one line for the operator.
      stuckReported = true;
      log.warn(`[outage] ${MAX_PENDING_PROBES} database checks are still waiting for an answer (the pool may be exhausted by stalled queries)`);
    }
    if (pendingProbes < MAX_PENDING_PROBES) stuckReported = false;
    lastDatabaseCheck = { at: now(), ok };
    if (ok) markUp('database');
    else {
      markDown('database', reason);
      scheduleRetry();
    }
    return ok;
  }

  /** While the database is down: look again shortly, until it answers (recovery needs no request). */
  function scheduleRetry() {
    if (retryTimer || stopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      // Past the cache: a check a request made meanwhile must not end the retries (while down,
      // requests are answered without a check, so nothing else would look again).
      if (downSince.has('database')) void checkDatabase({ fresh: true });
    }, retryMs);
    retryTimer.unref?.();
  }

  function checkDatabase({ fresh = false } = {}): Promise<boolean> {
    if (!fresh && lastDatabaseCheck && now() - lastDatabaseCheck.at < cacheMs) return Promise.resolve(lastDatabaseCheck.ok);
    databaseCheck ??= probeDatabaseOnce().finally(() => {
      databaseCheck = null;
    });
    return databaseCheck;
  }

  /** Redis as its connection says right now: 'off' without REDIS_URL, 'down' unless the connection is ready. */
  function redisState(): CheckResult {
    const client = options.redis();
    if (!client) return 'off';
    if (client.on && !watchedClients.has(client)) {
      watchedClients.add(client);
      // The connection's own error says why it is down (the status only says that it is).
      client.on('error', (error) => {
        lastRedisError = reasonOf(error);
      });
    }
    if (client.status === 'ready') {
      markUp('redis');
      return 'ok';
    }
    markDown('redis', `connection ${client.status}${lastRedisError ? `; last error ${lastRedisError}` : ''}`);
    return 'down';
  }

  const downList = (database: boolean, redis: CheckResult): Dependency[] => [
    ...(database ? [] : (['database'] as const)),
    ...(redis === 'down' ? (['redis'] as const) : []),
  ];

  return {
    /** The dependencies known to be down now, without waiting (empty: go ahead). */
    knownDown(): Dependency[] {
      return downList(!downSince.has('database'), redisState());
    },

    /** Looks now (the database check coalesced and briefly cached): the dependencies that are down. */
    async check(): Promise<Dependency[]> {
      const database = await checkDatabase();
      return downList(database, redisState());
    },

    /** The readiness view: the database checked, Redis's connection state confirmed by a PING. */
    async readiness(): Promise<Record<Dependency, CheckResult>> {
      const [database, redis] = await Promise.all([
        checkDatabase(),
        (async (): Promise<CheckResult> => {
          const state = redisState();
          if (state !== 'ok') return state;
          try {
            await withTimeout(options.redis()!.ping(), timeoutMs);
            return 'ok';
          } catch (error) {
            // Ready but silent (a hung server): not ready. The connection's status will follow.
            lastRedisError = reasonOf(error);
            return 'down';
          }
        })(),
      ]);
      return { database: database ? 'ok' : 'down', redis };
    },

    /** Stops the background retries (Strapi's destroy). */
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
    },
  };
}

export type DependencyMonitor = ReturnType<typeof createDependencyMonitor>;
