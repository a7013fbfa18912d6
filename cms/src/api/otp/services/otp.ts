import crypto from 'node:crypto';
import { loadEnv } from '@skillyug/config';
import type { OtpPurpose } from '../../../mail/templates';

const UID = 'api::otp.otp';
export const OTP_TTL_MINUTES = 10;
export const OTP_MAX_ATTEMPTS = 5;

export type OtpCheck = 'ok' | 'invalid' | 'expired' | 'exhausted';

/**
 * Codes are keyed HMACs, never stored in clear: a leaked table can't be brute-forced
 * offline without the server's key (a 6-digit space is otherwise trivial to search).
 */
const hashCode = (purpose: OtpPurpose, email: string, code: string) =>
  crypto.createHmac('sha256', loadEnv('cms').DATA_ENCRYPTION_KEY!).update(`${purpose}:${email}:${code}`).digest('hex');

const sameHash = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

export default ({ strapi }) => {
  const table = () => strapi.db.connection(strapi.getModel(UID).collectionName);

  return {
    /** A fresh random code for this email and purpose; any earlier one stops working. */
    async issue(email: string, purpose: OtpPurpose) {
      const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
      await strapi.db.query(UID).deleteMany({ where: { email, purpose } });
      await strapi.db.query(UID).create({
        data: {
          email,
          purpose,
          codeHash: hashCode(purpose, email, code),
          expiresAt: new Date(Date.now() + OTP_TTL_MINUTES * 60_000),
          attempts: 0,
        },
      });
      return code;
    },

    /**
     * Checks and, when right, consumes the code. Each check spends one attempt, counted
     * with a guarded UPDATE so concurrent guesses can't exceed the limit; consuming is a
     * guarded UPDATE too, so a code works exactly once even under a race.
     */
    async consume(email: string, purpose: OtpPurpose, code: string): Promise<OtpCheck> {
      const otp = await strapi.db.query(UID).findOne({ where: { email, purpose, consumedAt: null }, orderBy: { id: 'desc' } });
      if (!otp) return 'invalid';
      if (new Date(otp.expiresAt).getTime() <= Date.now()) return 'expired';

      const counted = await table()
        .where({ id: otp.id })
        .where('attempts', '<', OTP_MAX_ATTEMPTS)
        .whereNull('consumed_at')
        .increment('attempts', 1);
      if (counted === 0) return 'exhausted';
      if (!sameHash(otp.codeHash, hashCode(purpose, email, code))) {
        return otp.attempts + 1 >= OTP_MAX_ATTEMPTS ? 'exhausted' : 'invalid';
      }
      const consumed = await table().where({ id: otp.id }).whereNull('consumed_at').update({ consumed_at: new Date() });
      return consumed === 1 ? 'ok' : 'invalid';
    },

    /** Deletes expired and used codes; run by a cron job. Returns how many went. */
    async cleanup(now = new Date()) {
      const expired = await strapi.db.query(UID).deleteMany({ where: { $or: [{ expiresAt: { $lte: now } }, { consumedAt: { $notNull: true } }] } });
      return expired.count as number;
    },
  };
};
