import crypto from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { loadEnv } from '@skillyug/config';
import { redis } from '@skillyug/live/utils/redis';

type Budget = { points: number; seconds: number };

/**
 * Sign-in protection, per client IP and per account (the email or identifier in the
 * body). `window` budgets count over AUTH_RATE_LIMIT_WINDOW_SECONDS; a number of
 * seconds is a fixed cooldown (one request per that many seconds).
 */
const RULES: Record<string, { ip: number; account?: number; cooldown?: number }> = {
  login: { ip: 30, account: 10 },
  register: { ip: 10, account: 5 },
  verify: { ip: 30, account: 10 },
  resend: { ip: 10, account: 5, cooldown: 60 },
  forgot: { ip: 10, account: 5, cooldown: 60 },
  reset: { ip: 30, account: 10 },
  refresh: { ip: 120 },
  // Wrong current passwords on POST /api/auth/change-password (a stolen session guessing the
  // password); the account is the signed-in user. Right answers are refunded.
  changePassword: { ip: 30, account: 5 },
};
export type RuleName = keyof typeof RULES;

const limiters = new Map<string, RateLimiterAbstract>();

function limiter(key: string, { points, seconds }: Budget): RateLimiterAbstract {
  const existing = limiters.get(key);
  if (existing) return existing;
  const env = loadEnv('cms');
  const options = { keyPrefix: `${env.REDIS_KEY_PREFIX}rl:${key}`, points, duration: seconds };
  const client = redis();
  // With Redis every process shares one count. While Redis's connection is down requests don't get
  // here (global::dependency-outage answers 503); the in-memory insurance covers only a command
  // caught by a drop mid-request, which then counts in this process instead of failing the sign-in.
  const created = client
    ? new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  limiters.set(key, created);
  return created;
}

/** Keys hold a hash of the email, not the email: rate-limit stores needn't hold personal data. */
const accountKey = (account: string) => crypto.createHash('sha256').update(account.trim().toLowerCase()).digest('hex').slice(0, 32);

/**
 * Spends one request of each budget that applies. Returns 0 when allowed, or the number
 * of seconds until the caller may try again.
 */
export async function spend(rule: RuleName, ip: string, account?: string): Promise<number> {
  const window = loadEnv('cms').AUTH_RATE_LIMIT_WINDOW_SECONDS;
  const { ip: perIp, account: perAccount, cooldown } = RULES[rule];
  const checks: [RateLimiterAbstract, string][] = [[limiter(`${rule}:ip`, { points: perIp, seconds: window }), ip]];
  if (account) {
    const id = accountKey(account);
    if (perAccount) checks.push([limiter(`${rule}:account`, { points: perAccount, seconds: window }), id]);
    if (cooldown) checks.push([limiter(`${rule}:cooldown`, { points: 1, seconds: cooldown }), id]);
  }
  let wait = 0;
  for (const [rateLimiter, key] of checks) {
    try {
      await rateLimiter.consume(key);
    } catch (rejection) {
      // Over the limit: a RateLimiterRes (duck-typed: the Redis and memory limiters each throw one).
      const msBeforeNext = (rejection as RateLimiterRes | undefined)?.msBeforeNext;
      if (typeof msBeforeNext === 'number') {
        wait = Math.max(wait, Math.ceil(msBeforeNext / 1000));
        continue;
      }
      // The store itself failed (the memory insurance normally covers Redis): don't lock everyone out.
      onStoreError(rejection);
    }
  }
  return wait;
}

/**
 * Gives back the window budgets one request spent (a right answer shouldn't count against the
 * caller); cooldowns are not refunded.
 */
export async function refund(rule: RuleName, ip: string, account?: string): Promise<void> {
  const window = loadEnv('cms').AUTH_RATE_LIMIT_WINDOW_SECONDS;
  const { ip: perIp, account: perAccount } = RULES[rule];
  const refunds: [RateLimiterAbstract, string][] = [[limiter(`${rule}:ip`, { points: perIp, seconds: window }), ip]];
  if (account && perAccount) refunds.push([limiter(`${rule}:account`, { points: perAccount, seconds: window }), accountKey(account)]);
  for (const [rateLimiter, key] of refunds) {
    await rateLimiter.reward(key, 1).catch(onStoreError);
  }
}

let onStoreError: (error: unknown) => void = () => {};
/** Where a failing limiter store is reported (set at bootstrap to Strapi's logger). */
export function reportStoreErrorsTo(report: (error: unknown) => void) {
  onStoreError = report;
}

/** For tests and restarts of the embedded mode. */
export function resetLimiters() {
  limiters.clear();
}
