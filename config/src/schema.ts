import { z } from 'zod';

/**
 * Every environment variable Skillyug reads, in one place.
 *
 * Unset optional variables give the embedded mode: SQLite, the local live
 * provider, email printed to the log, the sandbox checkout, files on disk.
 * Setting a provider's variables switches it on; `checkModes` names what a
 * half-configured mode is missing.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false, got "${value}"` });
      return z.NEVER;
    });

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const urlString = () => z.string().trim().url({ message: 'must be a URL such as http://localhost:1337' });
const url = (fallback: string) => urlString().default(fallback);
const optionalUrl = () => optionalString.pipe(urlString().optional());

/** Strapi's own secrets: generated into .env for development, required in production. */
export const SECRET_VARIABLES = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'DATA_ENCRYPTION_KEY',
] as const;

export type SecretVariable = (typeof SECRET_VARIABLES)[number];

const secret = optionalString.pipe(
  z.string().min(16, { message: 'must be at least 16 characters' }).optional()
);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),

  // Strapi HTTP server
  HOST: z.string().trim().default('0.0.0.0'),
  PORT: port(1337),
  PUBLIC_URL: url('http://localhost:1337'),
  BODY_LIMIT_JSON: z.string().trim().regex(/^\d+(kb|mb)$/i, 'must look like 256kb or 1mb').default('256kb'),
  BODY_LIMIT_UPLOAD_MB: z.coerce.number().int().min(1).max(5120).default(200),
  CORS_EXTRA_ORIGINS: optionalString,
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('http'),
  // pretty: readable lines; json: one JSON object per line (log shipping). Default: json in production (see logFormat)
  LOG_FORMAT: optionalString.pipe(z.enum(['pretty', 'json'], { message: 'must be pretty or json' }).optional()),
  // Prometheus metrics: a plain HTTP server on this port answering GET /metrics (internal, not behind the load balancer)
  METRICS_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
  // Where that server binds; default 0.0.0.0 in production (scraped from inside the VPC), else 127.0.0.1
  METRICS_HOST: optionalString,
  // GET /api/metrics on Strapi's own port with Authorization: Bearer <token>; unset: no such route
  METRICS_TOKEN: secret,
  // GET /api/openapi.json (the API's OpenAPI document): on by default except in production
  API_DOCS: optionalString.pipe(z.enum(['true', 'false']).optional()),

  // Strapi secrets (see SECRET_VARIABLES)
  APP_KEYS: secret,
  API_TOKEN_SALT: secret,
  ADMIN_JWT_SECRET: secret,
  TRANSFER_TOKEN_SALT: secret,
  JWT_SECRET: secret,
  ENCRYPTION_KEY: secret,
  DATA_ENCRYPTION_KEY: secret,

  // Database: SQLite unless DATABASE_URL is set
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional()
  ),
  // The password for DATABASE_URL, kept out of the URL (ECS injects it from Secrets Manager); it wins over one in the URL
  DATABASE_PASSWORD: optionalString,
  DATABASE_SSL: flag(false),
  DATABASE_POOL_MIN: z.coerce.number().int().min(0).default(0),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).default(10),
  SQLITE_FILENAME: z.string().trim().default('.tmp/data.db'),

  // Redis (shared rate limits and socket.io across processes; the site's cache invalidation on every
  // site process); per-process when unset
  REDIS_URL: optionalString.pipe(
    z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()
  ),
  // The AUTH token for REDIS_URL (ElastiCache), kept out of the URL like DATABASE_PASSWORD
  REDIS_PASSWORD: optionalString,
  REDIS_KEY_PREFIX: z.string().trim().regex(/^[\w:.-]{1,64}$/, 'letters, digits, and : . - _ only').default('skillyug:'),

  // Graceful shutdown: seconds a process may take after SIGTERM (readiness 503, drain HTTP and
  // sockets, finish writes, close the database) before it exits anyway. Keep it below ECS's stopTimeout.
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(120).default(20),

  // Sign-in protection: the window the auth rate limits count over
  AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  // Proxies in front of Strapi that append X-Forwarded-For (koa proxy + maxIpsCount); 0 = ignore the header
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),

  // Live video
  LIVE_PROVIDER: z.enum(['local', 'ivs']).default('local'),
  LOCAL_RTMP_PORT: port(1935),
  LOCAL_MEDIA_HTTP_PORT: port(8000),
  LOCAL_RTMP_HOST: optionalString,
  LIVE_RECONNECT_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  LIVE_PLAYBACK_TTL_SECONDS: z.coerce.number().int().min(30).max(600).default(300),
  // A student who watched at least this share of a class's length has attended it (course progress, dashboard)
  LIVE_ATTENDED_MIN_SHARE: z.coerce.number().min(0.05).max(1).default(0.5),
  AWS_REGION: optionalString,
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  IVS_ENDPOINT: optionalUrl(),
  IVS_CHANNEL_TYPE: z
    .enum(['STANDARD', 'BASIC', 'ADVANCED_SD', 'ADVANCED_HD'])
    .default('STANDARD'),
  IVS_PLAYBACK_KEY_PAIR_ARN: optionalString,
  IVS_PLAYBACK_PRIVATE_KEY: optionalString,
  IVS_RECORDING_CONFIGURATION_ARN: optionalString,
  IVS_EVENTS_SECRET: secret,

  // Live chat: socket.io carries everything (default), or IVS Chat carries the messages students send
  CHAT_PROVIDER: z.enum(['socketio', 'ivs-chat'], { message: 'must be socketio or ivs-chat' }).default('socketio'),
  IVSCHAT_ENDPOINT: optionalUrl(),
  IVSCHAT_MESSAGING_URL: optionalString.pipe(
    z.string().regex(/^wss?:\/\/[^\s/]+/, 'must be a wss:// (or ws://) URL such as wss://edge.ivschat.us-west-2.amazonaws.com').optional()
  ),

  // Files: uploads (Strapi's media library) and live-class recordings on disk (default), or in S3
  UPLOAD_PROVIDER: z.enum(['local', 's3'], { message: 'must be local or s3' }).default('local'),
  // Disk storage for recordings (and the ingest's raw FLV while a class runs); relative to cms/
  LOCAL_STORAGE_DIR: z.string().trim().default('.data/storage'),
  S3_BUCKET: optionalString,
  S3_REGION: optionalString,
  // An S3-compatible server (MinIO, a test server on loopback); AWS's regional endpoint when unset
  S3_ENDPOINT: optionalUrl(),
  S3_FORCE_PATH_STYLE: flag(false),
  // Omit both to use the SDK's default chain (the ECS task role in production)
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  // CloudFront in front of the bucket: public files are served from it; with a key pair, private
  // files (recordings, locked lesson videos) get CloudFront signed URLs instead of S3 presigned ones
  CDN_URL: optionalUrl(),
  CLOUDFRONT_KEY_PAIR_ID: optionalString,
  CLOUDFRONT_PRIVATE_KEY: optionalString,
  // Lifetime of a signed URL for a recording or a locked lesson video (players fetch a fresh one when it lapses)
  SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),

  // Recordings
  // Unpublished recordings older than this many days are deleted by the daily job; 0 keeps them forever
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  // An ffmpeg binary to use; default: Debian's /usr/bin/ffmpeg when present, else the one shipped by @ffmpeg-installer/ffmpeg
  FFMPEG_PATH: optionalString,

  // Payments: the sandbox checkout unless Razorpay keys are set
  RAZORPAY_KEY_ID: optionalString,
  RAZORPAY_KEY_SECRET: optionalString,
  RAZORPAY_WEBHOOK_SECRET: optionalString,
  RAZORPAY_API_URL: optionalUrl(),

  // Email: printed to the log unless SMTP_HOST is set
  SMTP_HOST: optionalString,
  SMTP_PORT: port(587),
  SMTP_SECURE: flag(false),
  SMTP_USER: optionalString,
  SMTP_PASS: optionalString,
  EMAIL_FROM: z.string().trim().default('Skillyug <no-reply@skillyug.local>'),
  EMAIL_REPLY_TO: optionalString,

  // The student site
  SITE_URL: url('http://localhost:4321'),
  SITE_HOST: z.string().trim().default('0.0.0.0'),
  SITE_PORT: port(4321),
  // Proxies in front of the site that append X-Forwarded-For; 0 = the socket's peer is the visitor
  SITE_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  API_URL: url('http://127.0.0.1:1337'),
  SITE_REVALIDATE_SECRET: secret,

  // Demo data
  SEED_ON_EMPTY: optionalString.pipe(z.enum(['true', 'false']).optional()),

  // Set by `npm run build` (scripts/build.mjs) only: the build loads Strapi's configuration but
  // holds no runtime secrets, so their production check waits for the start. `npm start` unsets it.
  SKILLYUG_BUILD: flag(false),
});

export type Env = z.infer<typeof envSchema>;

export type Target = 'cms' | 'site';

/** The cross-variable rules: a mode that is switched on must be complete. */
export function checkModes(env: Env, target: Target): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const need = (name: keyof Env, why: string) => {
    if (env[name] === undefined || env[name] === '') problems.push({ path: name, message: `required ${why}` });
  };

  if (target === 'cms') {
    // A build loads this configuration too, without the runtime secrets: they are checked when the server starts.
    if (env.NODE_ENV === 'production' && !env.SKILLYUG_BUILD) {
      for (const name of SECRET_VARIABLES) need(name, 'in production (generate one with `openssl rand -base64 32`)');
      need('SMTP_HOST', 'in production: emails carry sign-in codes, which only development prints to the log');
    }
    if (env.APP_KEYS && env.APP_KEYS.split(',').filter(Boolean).length < 2) {
      problems.push({ path: 'APP_KEYS', message: 'must hold at least two comma-separated keys' });
    }
    if (env.LIVE_PROVIDER === 'ivs') {
      need('AWS_REGION', 'when LIVE_PROVIDER=ivs');
      need('IVS_EVENTS_SECRET', 'when LIVE_PROVIDER=ivs (the EventBridge API destination header)');
      need('IVS_PLAYBACK_KEY_PAIR_ARN', 'when LIVE_PROVIDER=ivs (channels are private: `npm run live:ivs-setup` imports a key pair)');
      need('IVS_PLAYBACK_PRIVATE_KEY', 'when LIVE_PROVIDER=ivs (the private key printed by `npm run live:ivs-setup`)');
    }
    if (env.CHAT_PROVIDER === 'ivs-chat') need('AWS_REGION', 'when CHAT_PROVIDER=ivs-chat');
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
      problems.push({ path: 'METRICS_PORT', message: 'must differ from PORT (the metrics server is a separate, internal listener)' });
    }
    if (env.UPLOAD_PROVIDER === 's3') {
      need('S3_BUCKET', 'when UPLOAD_PROVIDER=s3');
      if (!env.S3_REGION && !env.AWS_REGION) need('S3_REGION', 'when UPLOAD_PROVIDER=s3 (or set AWS_REGION)');
    }
    if (env.IVS_RECORDING_CONFIGURATION_ARN && env.UPLOAD_PROVIDER !== 's3') {
      problems.push({ path: 'UPLOAD_PROVIDER', message: 'must be s3 when IVS_RECORDING_CONFIGURATION_ARN is set: IVS records to S3 and replays are read from there' });
    }
    if ((env.S3_ACCESS_KEY_ID && !env.S3_SECRET_ACCESS_KEY) || (!env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY)) {
      problems.push({ path: env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID', message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together' });
    }
    if ((env.CLOUDFRONT_KEY_PAIR_ID || env.CLOUDFRONT_PRIVATE_KEY) && !(env.CLOUDFRONT_KEY_PAIR_ID && env.CLOUDFRONT_PRIVATE_KEY && env.CDN_URL)) {
      need('CDN_URL', 'with CLOUDFRONT_KEY_PAIR_ID and CLOUDFRONT_PRIVATE_KEY');
      need('CLOUDFRONT_KEY_PAIR_ID', 'with CLOUDFRONT_PRIVATE_KEY and CDN_URL');
      need('CLOUDFRONT_PRIVATE_KEY', 'with CLOUDFRONT_KEY_PAIR_ID and CDN_URL');
    }
    const razorpay = [env.RAZORPAY_KEY_ID, env.RAZORPAY_KEY_SECRET, env.RAZORPAY_WEBHOOK_SECRET];
    if (razorpay.some(Boolean) && !razorpay.every(Boolean)) {
      need('RAZORPAY_KEY_ID', 'with the other Razorpay keys');
      need('RAZORPAY_KEY_SECRET', 'with the other Razorpay keys');
      need('RAZORPAY_WEBHOOK_SECRET', 'with the other Razorpay keys');
    }
    if ((env.SMTP_USER && !env.SMTP_PASS) || (!env.SMTP_USER && env.SMTP_PASS)) {
      problems.push({ path: env.SMTP_USER ? 'SMTP_PASS' : 'SMTP_USER', message: 'SMTP_USER and SMTP_PASS go together' });
    }
    if ((env.SMTP_USER || env.SMTP_PASS) && !env.SMTP_HOST) need('SMTP_HOST', 'when SMTP credentials are set');
  }
  return problems;
}
