/**
 * What every Strapi process must agree on while a class runs — rate limits, slow mode and who is
 * connected — kept in Redis when REDIS_URL is set and in this process otherwise (the embedded
 * mode is one process, so both give the same answers). The database stays the source of truth
 * for messages, mutes and bans; this is the fast, expiring part.
 */
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type Redis from 'ioredis';

/** One live connection, as presence counts them (per connection, not per user). */
export type PresenceEntry = {
  connId: string;
  userId: number;
  kind: 'student' | 'admin';
  name: string;
  /** Unix ms the connection was accepted. */
  since: number;
  /** Unix ms after which the entry no longer counts (refreshed by heartbeats; grace after a drop). */
  expiresAt: number;
  /** Set when the connection dropped: it still counts until expiresAt (the grace), unless the student says they left. */
  droppedAt?: number;
};

export interface PresenceStore {
  put(sessionId: string, entry: PresenceEntry): Promise<void>;
  /** A drop: the entry counts until `until` (now + grace, or now to end it at once). */
  drop(sessionId: string, connId: string, until: number): Promise<void>;
  /** Heartbeat: this process's connections are still here. */
  refresh(sessionId: string, connIds: string[], until: number): Promise<void>;
  /** The entries that still count at `now` (expired ones are removed). */
  list(sessionId: string, now: number): Promise<PresenceEntry[]>;
}

export type Budget = { name: string; points: number; seconds: number };

export interface RealtimeState {
  presence: PresenceStore;
  /** Spends one point of `budget` for `key`: 0 when allowed, else the seconds to wait. */
  spend(budget: Budget, key: string): Promise<number>;
}

function memoryPresence(): PresenceStore {
  const sessions = new Map<string, Map<string, PresenceEntry>>();
  const of = (sessionId: string) => {
    let entries = sessions.get(sessionId);
    if (!entries) sessions.set(sessionId, (entries = new Map()));
    return entries;
  };
  return {
    async put(sessionId, entry) {
      of(sessionId).set(entry.connId, entry);
    },
    async drop(sessionId, connId, until) {
      const entry = sessions.get(sessionId)?.get(connId);
      if (entry) Object.assign(entry, { expiresAt: until, droppedAt: entry.droppedAt ?? Date.now() });
    },
    async refresh(sessionId, connIds, until) {
      const entries = sessions.get(sessionId);
      for (const id of connIds) {
        const entry = entries?.get(id);
        if (entry) entry.expiresAt = Math.max(entry.expiresAt, until);
      }
    },
    async list(sessionId, now) {
      const entries = sessions.get(sessionId);
      if (!entries) return [];
      for (const [id, entry] of entries) if (entry.expiresAt <= now) entries.delete(id);
      if (entries.size === 0) sessions.delete(sessionId);
      return [...entries.values()];
    },
  };
}

/** A hash per session: field = connection id, value = the entry as JSON (expiry inside). */
function redisPresence(client: Redis, prefix: string): PresenceStore {
  const key = (sessionId: string) => `${prefix}rt:presence:${sessionId}`;
  /** An abandoned class's hash goes away by itself. */
  const KEY_TTL_SECONDS = 24 * 60 * 60;
  return {
    async put(sessionId, entry) {
      await client.multi().hset(key(sessionId), entry.connId, JSON.stringify(entry)).expire(key(sessionId), KEY_TTL_SECONDS).exec();
    },
    async drop(sessionId, connId, until) {
      const raw = await client.hget(key(sessionId), connId);
      if (!raw) return;
      const entry = JSON.parse(raw) as PresenceEntry;
      await client.hset(key(sessionId), connId, JSON.stringify({ ...entry, expiresAt: until, droppedAt: entry.droppedAt ?? Date.now() }));
    },
    async refresh(sessionId, connIds, until) {
      if (connIds.length === 0) return;
      const raws = await client.hmget(key(sessionId), ...connIds);
      const fresh: string[] = [];
      raws.forEach((raw, i) => {
        if (!raw) return;
        const entry = JSON.parse(raw) as PresenceEntry;
        if (!entry.droppedAt) fresh.push(connIds[i], JSON.stringify({ ...entry, expiresAt: Math.max(entry.expiresAt, until) }));
      });
      if (fresh.length) await client.multi().hset(key(sessionId), ...fresh).expire(key(sessionId), KEY_TTL_SECONDS).exec();
    },
    async list(sessionId, now) {
      const all = await client.hgetall(key(sessionId));
      const live: PresenceEntry[] = [];
      const gone: string[] = [];
      for (const [id, raw] of Object.entries(all)) {
        const entry = JSON.parse(raw) as PresenceEntry;
        if (entry.expiresAt > now) live.push(entry);
        else gone.push(id);
      }
      if (gone.length) await client.hdel(key(sessionId), ...gone);
      return live;
    },
  };
}

export function createRealtimeState(client: Redis | null, prefix: string): RealtimeState {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiter = ({ name, points, seconds }: Budget) => {
    const id = `${name}:${points}:${seconds}`;
    let existing = limiters.get(id);
    if (!existing) {
      const options = { keyPrefix: `${prefix}rt:limit:${id}`, points, duration: seconds };
      // If Redis fails, each process keeps limiting alone rather than letting a flood through.
      existing = client ? new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter: new RateLimiterMemory(options) }) : new RateLimiterMemory(options);
      limiters.set(id, existing);
    }
    return existing;
  };
  return {
    presence: client ? redisPresence(client, prefix) : memoryPresence(),
    async spend(budget, key) {
      try {
        await limiter(budget).consume(key);
        return 0;
      } catch (rejection) {
        const wait = (rejection as RateLimiterRes | undefined)?.msBeforeNext;
        if (typeof wait === 'number') return Math.max(1, Math.ceil(wait / 1000));
        throw rejection;
      }
    },
  };
}
