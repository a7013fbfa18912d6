import { randomUUID } from 'node:crypto';
import type { Env } from './schema';

/**
 * What Strapi and the site share about logs and request ids: both processes write the same
 * JSON line shape, accept the same X-Request-Id and hide the same secrets in URLs.
 */

/** The request-id header: accepted from the caller (a proxy, the site), echoed on every response, forwarded to Strapi. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a caller's request id may look like: long enough to be unique, short and plain enough to log and index safely. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's request id when it is acceptable, else a fresh one (a forged or oversized id never reaches the logs). */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/** Pretty lines for people at a terminal; one JSON object per line where logs are shipped (production by default). */
export const logFormat = (env: Pick<Env, 'LOG_FORMAT' | 'NODE_ENV'>): 'pretty' | 'json' =>
  env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty');

/**
 * Where the metrics server (METRICS_PORT) binds: every interface in production, where the port is
 * internal (the load balancer doesn't route it; the scraper runs in the same network), and
 * loopback elsewhere, so a developer's laptop doesn't publish it.
 */
export const metricsHost = (env: Pick<Env, 'METRICS_HOST' | 'NODE_ENV'>): string =>
  env.METRICS_HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');

/** Query parameters whose values are credentials (playback and preview tokens, one-time codes, signatures). */
const SECRET_PARAMS = /^(token|code|key|sign|sig|signature|access_token|refresh_token|password)$/i;

/** A URL as it may be logged: the values of secret query parameters replaced by "***", the rest kept readable. */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  for (const name of [...params.keys()]) if (SECRET_PARAMS.test(name)) params.set(name, '***');
  return `${url.slice(0, question)}?${params.toString().replace(/%2A%2A%2A/g, '***')}`;
}

/** The fields of a JSON log line (request lines carry all of them; others what is known). */
export type LogFields = {
  time: string;
  level: string;
  message: string;
  requestId?: string;
  userId?: string;
  route?: string;
  method?: string;
  status?: number;
  durationMs?: number;
  [extra: string]: unknown;
};

/**
 * Characters JSON.stringify leaves raw that still break a line or drive a terminal in some log
 * viewers: DEL, the C1 controls (0x9b is a one-byte CSI) and the Unicode line/paragraph
 * separators. (C0 controls, newlines included, JSON already escapes.)
 */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029]/g;

/** One log entry as one line of JSON: whatever the request put into its fields, it can't forge a second entry. */
export function jsonLogLine(fields: LogFields): string {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
  return JSON.stringify(defined).replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
