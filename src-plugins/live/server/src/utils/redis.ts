import Redis from 'ioredis';
import { loadEnv } from '@skillyug/config';

let client: Redis | null | undefined;

/**
 * The process's one Redis connection for commands (rate limits, presence, slow mode), or null in
 * the embedded mode (no REDIS_URL). Shared by the cms (sign-in limits) and the live plugin.
 * Commands fail fast instead of queueing while Redis is unreachable, so callers can
 * fall back rather than hang a request; while the connection is down the cms's outage middleware
 * answers requests 503 before they get here (utils/dependency-monitor.ts).
 */
export function redis(): Redis | null {
  if (client !== undefined) return client;
  const url = loadEnv('cms').REDIS_URL;
  client = url ? new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }) : null;
  client?.on('error', () => {
    // ioredis reconnects by itself; failures surface on the commands that need Redis.
  });
  return client;
}

/**
 * Waits (briefly) for the connection at start-up, so the first requests count in Redis
 * rather than in a process-local fallback. A Redis that is down doesn't stop the start.
 */
export async function connectRedis(log: { warn: (message: string) => void }, timeoutMs = 5000) {
  const connection = redis();
  if (!connection || connection.status === 'ready') return;
  const ready = new Promise<boolean>((resolve) => {
    connection.once('ready', () => resolve(true));
    setTimeout(() => resolve(false), timeoutMs).unref();
  });
  if (!(await ready)) log.warn('[redis] not reachable yet: requests are answered 503 until it is (global::dependency-outage)');
}

export async function closeRedis() {
  if (client) await client.quit().catch(() => client?.disconnect());
  client = undefined;
}
