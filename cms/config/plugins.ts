import { createSecretKey } from 'node:crypto';
import { loadEnv, emailMode } from '@skillyug/config';

export default () => {
  const env = loadEnv('cms');
  return {
    'users-permissions': {
      config: {
        // A KeyObject, not a string: jsonwebtoken otherwise tries (and fails) to import a string
        // secret as a public key on every verification, a measurable cost on each signed-in request.
        jwtSecret: env.JWT_SECRET ? createSecretKey(Buffer.from(env.JWT_SECRET, 'utf8')) : undefined,
        jwtManagement: 'refresh',
        sessions: { accessTokenLifespan: 15 * 60, maxRefreshTokenLifespan: 30 * 24 * 60 * 60 },
        register: { allowedFields: [] },
        // Replaced by global::auth-rate-limit (per IP and account, shared through Redis).
        ratelimit: { enabled: false },
      },
    },
    email: {
      config: {
        provider: 'nodemailer',
        // Without SMTP the transport only renders messages; bootstrap swaps in the log provider.
        providerOptions:
          emailMode(env) === 'smtp'
            ? {
                host: env.SMTP_HOST,
                port: env.SMTP_PORT,
                secure: env.SMTP_SECURE,
                ...(env.SMTP_USER ? { auth: { user: env.SMTP_USER, pass: env.SMTP_PASS } } : {}),
              }
            : { jsonTransport: true },
        settings: { defaultFrom: env.EMAIL_FROM, defaultReplyTo: env.EMAIL_REPLY_TO ?? env.EMAIL_FROM },
      },
    },
    // UPLOAD_PROVIDER=s3: the media library in S3_BUCKET (under uploads/, beside recordings/), on the
    // same connection as the recordings. The bucket stays private: no public-read ACL is sent (new
    // buckets refuse ACLs anyway); with CDN_URL the files' URLs point at CloudFront, which reads the
    // bucket for them. Local (cms/public/uploads) is Strapi's default and needs no configuration.
    ...(env.UPLOAD_PROVIDER === 's3'
      ? {
          upload: {
            config: {
              provider: 'aws-s3',
              providerOptions: {
                baseUrl: env.CDN_URL,
                rootPath: 'uploads',
                s3Options: {
                  region: env.S3_REGION ?? env.AWS_REGION,
                  // An S3-compatible server: only the checksums S3 requires (servers vary on the newer defaults).
                  ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
                  forcePathStyle: env.S3_FORCE_PATH_STYLE,
                  // Omitted: the SDK's default chain (the ECS task role).
                  ...(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
                    ? { credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } }
                    : {}),
                  // ACL present but empty: the provider sends no ACL header (its default would be public-read).
                  params: { Bucket: env.S3_BUCKET, ACL: '' },
                },
              },
            },
          },
        }
      : {}),
    live: { enabled: true, resolve: '../src-plugins/live' },
  };
};
