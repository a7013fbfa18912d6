/**
 * A unique-constraint error, wherever it came from: PostgreSQL (23505), SQLite
 * (SQLITE_CONSTRAINT_UNIQUE / "UNIQUE constraint failed"), or Strapi's document service, which
 * checks `unique: true` attributes itself and throws "This attribute must be unique". Callers use
 * it to tell "a concurrent request inserted the same row first" from a real failure.
 * The one copy: the cms imports it from here (`@skillyug/live/utils/db-errors`).
 */
export const isUniqueViolation = (error: any) =>
  error?.code === '23505' || error?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /unique/i.test(String(error?.message));

/**
 * What a failed request lost its connection to, judged from the error alone:
 *  - 'database': PostgreSQL is shutting down or restarting (57P01 admin shutdown, 57P02 crash
 *    shutdown, 57P03 starting up), a connection exception (class 08), too many connections (53300),
 *    a pooled connection that dropped ("Connection terminated…"), or knex waiting in vain for a
 *    connection ("Timeout acquiring a connection");
 *  - 'redis': ioredis refusing a command while it is disconnected (the client has no offline queue);
 *  - 'network': a socket failure (ECONNREFUSED, ECONNRESET, ETIMEDOUT, …) that doesn't say to what —
 *    PostgreSQL, Redis, S3 or a payment gateway — so only a probe of the dependencies can tell;
 *  - null: anything else (a bug, a bad input, a constraint): not an outage.
 * Looks through wrappers (`cause`, AggregateError's `errors`), since Node's connect reports one
 * error per address tried. Used by the outage middleware (cms/src/middlewares/dependency-outage.ts).
 */
export type ConnectionFailure = 'database' | 'redis' | 'network';

const PG_UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

function ownFailure(error: any): ConnectionFailure | null {
  const code = typeof error?.code === 'string' ? error.code : '';
  const message = String(error?.message ?? '');
  if (PG_UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'database';
  if (error?.name === 'KnexTimeoutError' && /acquiring a connection/i.test(message)) return 'database';
  if (/^Connection terminated|Client has encountered a connection error|terminating connection due to administrator command/i.test(message)) return 'database';
  if (error?.name === 'MaxRetriesPerRequestError' || /^Stream isn't writeable and enableOfflineQueue|^Connection is closed\.?$/.test(message)) return 'redis';
  if (SOCKET_CODES.has(code)) return 'network';
  return null;
}

export function connectionFailureOf(error: unknown, depth = 0): ConnectionFailure | null {
  if (!error || typeof error !== 'object' || depth > 3) return null;
  const own = ownFailure(error);
  if (own) return own;
  const nested = [(error as any).cause, ...(Array.isArray((error as any).errors) ? (error as any).errors : [])];
  for (const inner of nested) {
    const found = connectionFailureOf(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

export const isConnectionError = (error: unknown) => connectionFailureOf(error) !== null;
