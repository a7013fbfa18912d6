import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { otpEmail, accountExistsEmail, type OtpPurpose } from '../mail/templates';
import { OTP_TTL_MINUTES, type OtpResult, type PendingRegistration } from '../api/otp/services/otp';
import { spend, refund } from '../security/rate-limit';
import { isUniqueViolation } from '../utils/db-errors';

const USER_UID = 'plugin::users-permissions.user';

const OTP_FAILURES: Record<Exclude<OtpResult['check'], 'ok'>, string> = {
  invalid: 'That code is not right. Check the latest email and try again.',
  expired: 'That code has expired. Ask for a new one.',
  exhausted: 'Too many wrong tries for this code. Ask for a new one.',
};

const SIGN_IN_FAILED = 'Invalid identifier or password';
const VERIFY_FIRST = 'Verify your email first: enter the 6-digit code we emailed you, or ask for a new one.';

/**
 * Usernames are internal: users-permissions needs a unique one, but a client-chosen username
 * would tell a sign-up whether someone already holds it. Nobody sees this value; people see
 * their `displayName`.
 */
const internalUsername = () => `user-${crypto.randomUUID()}`;

/** The token a sign-up's answer carries: its code verifies only together with it. */
const newRegistrationToken = () => crypto.randomBytes(24).toString('base64url');

/** What the site calls a student who has no display name yet (accounts from before names). */
const fallbackDisplayName = (email: string) => email.split('@')[0];

/**
 * Accounts on top of users-permissions: sign-up with an emailed code, verification,
 * password reset by code, password change and profile. Answers about an email never depend
 * on whether it is registered: the work that differs happens after the response, and
 * sign-in spends one password hash comparison whatever the account's state.
 *
 * An unconfirmed account holds no password. Each sign-up's password (hashed) and name wait
 * with that sign-up's code, and only verifying that code — together with the sign-up's token,
 * which only the client that signed up holds — makes them the account's. So someone who
 * signs up with another person's email can never end up holding a password to their account.
 */
export function accountService(strapi: Core.Strapi) {
  const otp = () => strapi.service('api::otp.otp') as any;
  const users = () => strapi.plugin('users-permissions').service('user');
  const findUser = (email: string) => strapi.db.query(USER_UID).findOne({ where: { email, provider: 'local' } });

  /** Fire-and-forget mail: the caller's response must not wait for (or reveal) delivery. */
  const sendLater = (to: string, message: { subject: string; text: string; html: string }) => {
    setImmediate(() => {
      strapi
        .plugin('email')
        .service('email')
        .send({ to, ...message })
        .catch((error: Error) => strapi.log.error(`[accounts] could not send "${message.subject.replace(/\d{6}/, '******')}": ${error.message}`));
    });
  };

  /** Work whose duration would tell a registered email from an unknown one runs after the response. */
  const afterResponse = (label: string, work: () => Promise<void>) => {
    setImmediate(() => work().catch((error: Error) => strapi.log.error(`[accounts] ${label} failed: ${error.message}`)));
  };

  const hashPassword = async (password: string): Promise<string> => (await users().ensureHashedPasswords({ password })).password;

  // A hash of a random password, made once per process with the real cost: comparing against it
  // takes as long as checking a real account's password.
  let dummyHash: Promise<string> | undefined;
  const spendOneComparison = async (password: string, hash?: string | null): Promise<boolean> =>
    users().validatePassword(password, hash ?? (await (dummyHash ??= hashPassword(crypto.randomBytes(18).toString('base64')))));

  const sendCode = async (email: string, purpose: OtpPurpose, pending?: PendingRegistration) => {
    const code = await otp().issue(email, purpose, pending);
    sendLater(email, otpEmail(purpose, code, OTP_TTL_MINUTES));
  };

  const checkCode = async (email: string, purpose: OtpPurpose, code: string, registration?: string) => {
    const result: OtpResult = await otp().consume(email, purpose, code, registration);
    if (result.check !== 'ok') throw new errors.ValidationError(OTP_FAILURES[result.check], { reason: result.check });
    return result;
  };

  const invalidCode = () => new errors.ValidationError(OTP_FAILURES.invalid, { reason: 'invalid' });

  return {
    /**
     * Answers at once with the sign-up's token, the same for a new, a confirmed or an
     * unconfirmed email; everything that differs (and the password hashing) runs afterwards.
     */
    register(input: { email: string; password: string; displayName: string }): { registration: string } {
      const registration = newRegistrationToken();
      afterResponse('register', async () => {
        const existing = await findUser(input.email);
        if (existing?.confirmed) return sendLater(input.email, accountExistsEmail());
        if (existing?.blocked) return;
        const passwordHash = await hashPassword(input.password);
        if (!existing) {
          const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'student' } });
          // A sign-up of the same email racing this one may have created the account first (unique email): use theirs.
          await users()
            .add({ email: input.email, username: internalUsername(), provider: 'local', confirmed: false, blocked: false, role: role.id })
            .catch((error: unknown) => {
              if (!isUniqueViolation(error)) throw error;
            });
        } else if (existing.password) {
          // An unconfirmed account from before sign-ups kept their password apart: nobody's password stands on it.
          await strapi.db.query(USER_UID).update({ where: { id: existing.id }, data: { password: null } });
        }
        await sendCode(input.email, 'verify', { registration, passwordHash, displayName: input.displayName });
      });
      return { registration };
    },

    /** A new code for that sign-up only (its own password), if it is still waiting. */
    resendVerification(email: string, registration: string) {
      afterResponse('resend', async () => {
        const user = await findUser(email);
        if (!user || user.confirmed || user.blocked) return;
        const code = await otp().renewRegistration(email, registration);
        if (code) sendLater(email, otpEmail('verify', code, OTP_TTL_MINUTES));
      });
    },

    /**
     * Confirms the email with the password and name of the sign-up this code belongs to, and
     * returns the user, ready to be signed in. Every other pending sign-up of the email ends.
     */
    async verify(email: string, code: string, registration: string) {
      const { pending } = await checkCode(email, 'verify', code, registration);
      const user = await findUser(email);
      if (!user || user.blocked || !pending) throw invalidCode();
      const displayName = pending.displayName || fallbackDisplayName(email);
      // Guarded: if a reset (or another sign-up's code) confirmed the account meanwhile, that stands.
      const { count } = await strapi.db.query(USER_UID).updateMany({
        where: { id: user.id, confirmed: false },
        data: { confirmed: true, password: pending.passwordHash, displayName },
      });
      if (count !== 1) throw invalidCode();
      await otp().dropRegistrations(email);
      return { ...user, confirmed: true, displayName };
    },

    /**
     * Runs before users-permissions' own sign-in check, which answers an unknown email without
     * comparing any password (several times faster than a wrong password: an account oracle).
     * Known, confirmed accounts go on to that check; every other case is answered here after
     * the same one comparison.
     */
    async guardSignIn(identifier: string, password: string) {
      const user = await strapi.db.query(USER_UID).findOne({
        where: { provider: 'local', $or: [{ email: identifier.toLowerCase() }, { username: identifier }] },
      });
      if (user?.confirmed && user.password) return;
      const pending = user && !user.confirmed && !user.blocked ? await otp().latestRegistration(user.email) : null;
      const matches = await spendOneComparison(password, pending?.passwordHash);
      if (pending && matches) throw new errors.ApplicationError(VERIFY_FIRST, { reason: 'email-not-verified' });
      throw new errors.ValidationError(SIGN_IN_FAILED);
    },

    forgotPassword(email: string) {
      afterResponse('forgot-password', async () => {
        const user = await findUser(email);
        if (user && !user.blocked) await sendCode(email, 'reset');
      });
    },

    /** Sets the new password and ends every session and every pending sign-up the account had. */
    async resetPassword(email: string, code: string, password: string) {
      await checkCode(email, 'reset', code);
      const user = await findUser(email);
      if (!user || user.blocked) throw invalidCode();
      // Reading the code proves the inbox is theirs, so an unconfirmed account is confirmed too.
      await users().edit(user.id, { password, confirmed: true });
      await otp().dropRegistrations(email);
      await strapi.sessionManager('users-permissions').invalidateRefreshToken(String(user.id));
    },

    /**
     * Changes the signed-in user's password and ends all their sessions (the caller opens a
     * new one for this device). Wrong current passwords are counted per account and per IP;
     * a right one is refunded.
     */
    async changePassword(userId: number, input: { currentPassword: string; password: string }, ip: string) {
      const account = `user:${userId}`;
      const wait = await spend('changePassword', ip, account);
      if (wait > 0) throw new errors.RateLimitError(`Too many attempts. Try again in ${wait} seconds.`, { retryAfter: wait });
      const user = await strapi.db.query(USER_UID).findOne({ where: { id: userId } });
      if (!user || !(await spendOneComparison(input.currentPassword, user.password))) {
        const message = 'your current password is not right';
        throw new errors.ValidationError(`currentPassword: ${message}`, { errors: [{ path: ['currentPassword'], message, name: 'ValidationError' }] });
      }
      await refund('changePassword', ip, account);
      await users().edit(user.id, { password: input.password });
      await strapi.sessionManager('users-permissions').invalidateRefreshToken(String(user.id));
      return user;
    },

    /** The signed-in user's own profile fields. */
    async updateProfile(userId: number, input: { displayName: string }) {
      return strapi.db.query(USER_UID).update({ where: { id: userId }, data: { displayName: input.displayName } });
    },
  };
}
