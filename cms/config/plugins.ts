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
    live: { enabled: true, resolve: '../src-plugins/live' },
  };
};
