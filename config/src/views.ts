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

/** A URL's origin, or undefined when it is absent or not a URL. */
export const originOf = (url: string | undefined) => {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

export type StorageOriginsEnv = Partial<
  Pick<Env, 'UPLOAD_PROVIDER' | 'S3_BUCKET' | 'S3_REGION' | 'AWS_REGION' | 'S3_ENDPOINT' | 'S3_FORCE_PATH_STYLE' | 'CDN_URL' | 'IVS_RECORDING_CONFIGURATION_ARN'>
>;

/**
 * Whether the AWS SDK puts the bucket in the host name (virtual-hosted URLs): one DNS label,
 * lowercase, 3–63 characters. Anything else (dots included) is addressed path-style.
 */
const virtualHostable = (bucket: string) => /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);

/**
 * UPLOAD_PROVIDER=s3: the origin the signed URLs of recordings (and private lesson videos) point
 * at — the CDN when one is configured (CloudFront signed URLs), and the bucket itself (S3
 * presigned URLs): its virtual-hosted name (`bucket.s3.region.amazonaws.com`, or `bucket.host`
 * on an S3-compatible endpoint), or the endpoint alone with path-style addressing (forced, an IP
 * address, or a bucket name that can't be a host) — as the AWS SDK builds them. With IVS
 * recordings (IVS_RECORDING_CONFIGURATION_ARN), their segments are presigned URLs to the bucket IVS
 * records into, which only the recording configuration names: S3 in that region (or the endpoint).
 */
export function storageOrigins(env: StorageOriginsEnv): string[] {
  if (env.UPLOAD_PROVIDER !== 's3') return [];
  const origins: string[] = [];
  const cdn = originOf(env.CDN_URL);
  if (cdn) origins.push(cdn);
  const bucket = env.S3_BUCKET;
  if (bucket) {
    if (env.S3_ENDPOINT) {
      try {
        const endpoint = new URL(env.S3_ENDPOINT);
        const ipHost = /^\d+\.\d+\.\d+\.\d+$/.test(endpoint.hostname) || endpoint.hostname.startsWith('[');
        const pathStyle = env.S3_FORCE_PATH_STYLE || ipHost || !virtualHostable(bucket);
        origins.push(pathStyle ? endpoint.origin : `${endpoint.protocol}//${bucket}.${endpoint.host}`);
      } catch {
        /* the configuration check refuses a malformed S3_ENDPOINT before the site starts */
      }
    } else {
      const region = env.S3_REGION ?? env.AWS_REGION;
      if (region) {
        const pathStyle = env.S3_FORCE_PATH_STYLE || !virtualHostable(bucket);
        origins.push(pathStyle ? `https://s3.${region}.amazonaws.com` : `https://${bucket}.s3.${region}.amazonaws.com`);
      }
    }
  }
  const region = env.S3_REGION ?? env.AWS_REGION;
  if (env.IVS_RECORDING_CONFIGURATION_ARN && !env.S3_ENDPOINT && region) {
    origins.push(`https://*.s3.${region}.amazonaws.com`, `https://s3.${region}.amazonaws.com`);
  }
  return [...new Set(origins)];
}

