import { loadEnv } from '@skillyug/config';

export default () => {
  const env = loadEnv('cms');
  return {
    auth: { secret: env.ADMIN_JWT_SECRET },
    apiToken: { salt: env.API_TOKEN_SALT },
    transfer: { token: { salt: env.TRANSFER_TOKEN_SALT } },
    secrets: { encryptionKey: env.ENCRYPTION_KEY },
    flags: { nps: false, promoteEE: false },
    // The content manager's Preview: courses, modules and lessons open their course's draft on the
    // site (/preview, a short-lived signed token: src/api/preview). allowedOrigins lets the admin
    // frame the site (its frame-src); the site lets the admin frame /preview pages only.
    preview: {
      enabled: true,
      config: {
        allowedOrigins: [new URL(env.SITE_URL).origin],
        handler: (uid: string, params: { documentId?: string }) => strapi.service('api::preview.preview').previewUrl(uid, params),
      },
    },
  };
};
