import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import type { OtpPurpose } from '../../../mail/templates';

const UID = 'api::otp.otp';
export const OTP_TTL_MINUTES = 10;
export const OTP_MAX_ATTEMPTS = 5;

export type OtpCheck = 'ok' | 'invalid' | 'expired' | 'exhausted';
/** What a consumed sign-up code brings with it: the password and name given with that sign-up. */
export type OtpResult = { check: OtpCheck; pending?: { passwordHash: string; displayName: string | null } };

/** One sign-up: the opaque token its client keeps, and what it asked for (the password already hashed). */
export type PendingRegistration = { registration: string; passwordHash: string; displayName: string };

/**
 * Codes are keyed HMACs, never stored in clear: a leaked table can't be brute-forced
 * offline without the server's key (a 6-digit space is otherwise trivial to search).
 */
const hashCode = (purpose: OtpPurpose, email: string, code: string) =>
  crypto.createHmac('sha256', loadEnv('cms').DATA_ENCRYPTION_KEY!).update(`${purpose}:${email}:${code}`).digest('hex');

/** Sign-up tokens are stored hashed too: the table alone can't be used to verify someone's sign-up. */
const hashRegistration = (registration: string) => crypto.createHash('sha256').update(registration).digest('hex');

const sameHash = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const table = () => strapi.db.connection(strapi.getModel(UID).collectionName);

  const service = {
    /**
     * A fresh random code for this email and purpose; any earlier one stops working. A sign-up's
     * code belongs to that sign-up (`pending.registration`): it replaces only that sign-up's
     * earlier code, and carries the password hash and name the sign-up asked for, applied only
     * when this very code is verified.
     */
    async issue(email: string, purpose: OtpPurpose, pending?: PendingRegistration) {
      const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
      const registrationHash = pending ? hashRegistration(pending.registration) : null;
      await strapi.db.query(UID).deleteMany({ where: registrationHash ? { email, purpose, registrationHash } : { email, purpose } });
      await strapi.db.query(UID).create({
        data: {
          email,
          purpose,
          codeHash: hashCode(purpose, email, code),
          expiresAt: new Date(Date.now() + OTP_TTL_MINUTES * 60_000),
          attempts: 0,
          registrationHash,
          passwordHash: pending?.passwordHash ?? null,
          displayName: pending?.displayName ?? null,
        },
      });
      return code;
    },

    /** The latest live sign-up for an email (for login's "verify first" answer), if any. */
    latestRegistration(email: string): Promise<{ passwordHash: string } | null> {
      return strapi.db.query(UID).findOne({
        where: { email, purpose: 'verify', consumedAt: null, registrationHash: { $notNull: true }, expiresAt: { $gt: new Date() } },
        orderBy: { id: 'desc' },
        select: ['passwordHash'],
      });
    },

    /**
     * A new code for a sign-up still waiting for one, carrying that sign-up's own password and
     * name (never another sign-up's). Null when the sign-up is unknown or already used.
     */
    async renewRegistration(email: string, registration: string): Promise<string | null> {
      const row = await strapi.db.query(UID).findOne({
        where: { email, purpose: 'verify', consumedAt: null, registrationHash: hashRegistration(registration) },
        select: ['passwordHash', 'displayName'],
      });
      if (!row?.passwordHash) return null;
      return service.issue(email, 'verify', { registration, passwordHash: row.passwordHash, displayName: row.displayName ?? '' });
    },

    /** Every pending sign-up of an email ends (the account was confirmed another way). */
    async dropRegistrations(email: string) {
      await strapi.db.query(UID).deleteMany({ where: { email, purpose: 'verify' } });
    },

    /**
     * Checks and, when right, consumes the code. Each check spends one attempt, counted
     * with a guarded UPDATE so concurrent guesses can't exceed the limit; consuming is a
     * guarded UPDATE too, so a code works exactly once even under a race.
     */
    async consume(email: string, purpose: OtpPurpose, code: string, registration?: string): Promise<OtpResult> {
      const where = registration ? { email, purpose, consumedAt: null, registrationHash: hashRegistration(registration) } : { email, purpose, consumedAt: null };
      const otp = await strapi.db.query(UID).findOne({ where, orderBy: { id: 'desc' } });
      if (!otp) return { check: 'invalid' };
      if (new Date(otp.expiresAt).getTime() <= Date.now()) return { check: 'expired' };

      const counted = await table()
        .where({ id: otp.id })
        .where('attempts', '<', OTP_MAX_ATTEMPTS)
        .whereNull('consumed_at')
        .increment('attempts', 1);
      if (counted === 0) return { check: 'exhausted' };
      if (!sameHash(otp.codeHash, hashCode(purpose, email, code))) {
        return { check: otp.attempts + 1 >= OTP_MAX_ATTEMPTS ? 'exhausted' : 'invalid' };
      }
      const consumed = await table().where({ id: otp.id }).whereNull('consumed_at').update({ consumed_at: new Date() });
      if (consumed !== 1) return { check: 'invalid' };
      return { check: 'ok', pending: otp.passwordHash ? { passwordHash: otp.passwordHash, displayName: otp.displayName ?? null } : undefined };
    },

    /** Deletes expired and used codes; run by a cron job. Returns how many went. */
    async cleanup(now = new Date()) {
      const expired = await strapi.db.query(UID).deleteMany({ where: { $or: [{ expiresAt: { $lte: now } }, { consumedAt: { $notNull: true } }] } });
      return expired.count as number;
    },
  };
  return service;
};
