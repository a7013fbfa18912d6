import path from 'node:path';
import type { Env } from './schema';

/** Origins allowed to call the API from a browser: the site, Strapi itself, and any extra ones. */
export function corsOrigins(env: Env): string[] {
  const extra = (env.CORS_EXTRA_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return [...new Set([new URL(env.SITE_URL).origin, new URL(env.PUBLIC_URL).origin, ...extra])];
}

export type DatabaseClient = 'sqlite' | 'postgres';

export function databaseClient(env: Env): DatabaseClient {
  return env.DATABASE_URL ? 'postgres' : 'sqlite';
}

/** Strapi's `database.connection` for the configured engine. */
export function databaseConnection(env: Env, appDir: string) {
  if (env.DATABASE_URL) {
    return {
      client: 'postgres' as const,
      connection: {
        connectionString: env.DATABASE_URL,
        ssl: env.DATABASE_SSL ? { rejectUnauthorized: true } : false,
      },
      pool: { min: env.DATABASE_POOL_MIN, max: env.DATABASE_POOL_MAX },
      acquireConnectionTimeout: 60_000,
    };
  }
  return {
    client: 'sqlite' as const,
    connection: { filename: path.resolve(appDir, env.SQLITE_FILENAME) },
    useNullAsDefault: true,
    pool: {
      // Write-ahead logging: readers don't wait for writers and a commit is one append instead of
      // a journal rewrite (join storms and progress ticks are many small writes).
      afterCreate(conn: { pragma(sql: string): unknown }, done: (error: Error | null, conn: unknown) => void) {
        try {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        } catch (error) {
          done(error as Error, conn);
        }
      },
    },
  };
}

export const paymentsMode = (env: Env): 'razorpay' | 'sandbox' => (env.RAZORPAY_KEY_ID ? 'razorpay' : 'sandbox');
export const emailMode = (env: Env): 'smtp' | 'log' => (env.SMTP_HOST ? 'smtp' : 'log');

/** The OpenAPI document (GET /api/openapi.json) is served unless switched off; production serves it only when asked. */
export const apiDocsEnabled = (env: Env): boolean => (env.API_DOCS ? env.API_DOCS === 'true' : env.NODE_ENV !== 'production');

/** Demo data is loaded into an empty database on development starts unless switched off. */
export const seedOnEmpty = (env: Env): boolean =>
  env.SEED_ON_EMPTY ? env.SEED_ON_EMPTY === 'true' : env.NODE_ENV === 'development';
