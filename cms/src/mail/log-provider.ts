import type { Core } from '@strapi/strapi';

type Mail = { to: string; from?: string; subject: string; text?: string; html?: string };

/**
 * The embedded-mode email provider: with no SMTP configured (development only — production
 * requires SMTP_HOST), messages are printed to the log, clearly marked, so a developer can
 * read the sign-in code they just asked for.
 */
export function createLogEmailProvider(strapi: Core.Strapi, defaultFrom: string) {
  return {
    async send(mail: Mail) {
      const rule = '─'.repeat(64);
      strapi.log.info(
        [
          '',
          `${rule}`,
          ' EMAIL — not sent (no SMTP_HOST configured; printed here for development)',
          `${rule}`,
          ` From:    ${mail.from ?? defaultFrom}`,
          ` To:      ${mail.to}`,
          ` Subject: ${mail.subject}`,
          '',
          (mail.text ?? '').replace(/^/gm, ' '),
          rule,
        ].join('\n')
      );
    },
  };
}
