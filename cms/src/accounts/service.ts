import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { otpEmail, accountExistsEmail, type OtpPurpose } from '../mail/templates';
import { OTP_TTL_MINUTES, type OtpCheck } from '../api/otp/services/otp';

const USER_UID = 'plugin::users-permissions.user';

const OTP_FAILURES: Record<Exclude<OtpCheck, 'ok'>, string> = {
  invalid: 'That code is not right. Check the latest email and try again.',
  expired: 'That code has expired. Ask for a new one.',
  exhausted: 'Too many wrong tries for this code. Ask for a new one.',
};

/**
 * Accounts on top of users-permissions: sign-up with an emailed code, verification,
 * and password reset by code. Answers about an email never depend on whether it is
 * registered: the work that differs (sending mail) happens after the response.
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

  const sendCode = async (email: string, purpose: OtpPurpose) => {
    const code = await otp().issue(email, purpose);
    sendLater(email, otpEmail(purpose, code, OTP_TTL_MINUTES));
  };

  const checkCode = async (email: string, purpose: OtpPurpose, code: string) => {
    const result: OtpCheck = await otp().consume(email, purpose, code);
    if (result !== 'ok') throw new errors.ValidationError(OTP_FAILURES[result], { reason: result });
  };

  return {
    async register(input: { email: string; password: string; username?: string }) {
      const existing = await findUser(input.email);
      if (existing?.confirmed) {
        sendLater(input.email, accountExistsEmail());
      } else if (existing) {
        await sendCode(input.email, 'verify');
      } else {
        const username = input.username ?? input.email;
        const taken = await strapi.db.query(USER_UID).count({ where: { username } });
        if (taken > 0) throw new errors.ValidationError('That username is taken', { field: 'username' });
        const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'student' } });
        await users().add({ email: input.email, username, password: input.password, provider: 'local', confirmed: false, blocked: false, role: role.id });
        await sendCode(input.email, 'verify');
      }
    },

    resendVerification(email: string) {
      afterResponse('resend', async () => {
        const user = await findUser(email);
        if (user && !user.confirmed && !user.blocked) await sendCode(email, 'verify');
      });
    },

    /** Confirms the email and returns the user, ready to be signed in. */
    async verify(email: string, code: string) {
      await checkCode(email, 'verify', code);
      const user = await findUser(email);
      if (!user || user.blocked) throw new errors.ValidationError(OTP_FAILURES.invalid, { reason: 'invalid' });
      if (!user.confirmed) await strapi.db.query(USER_UID).update({ where: { id: user.id }, data: { confirmed: true } });
      return user;
    },

    forgotPassword(email: string) {
      afterResponse('forgot-password', async () => {
        const user = await findUser(email);
        if (user && !user.blocked) await sendCode(email, 'reset');
      });
    },

    /** Sets the new password and ends every session the account had. */
    async resetPassword(email: string, code: string, password: string) {
      await checkCode(email, 'reset', code);
      const user = await findUser(email);
      if (!user || user.blocked) throw new errors.ValidationError(OTP_FAILURES.invalid, { reason: 'invalid' });
      // Reading the code proves the inbox is theirs, so an unconfirmed account is confirmed too.
      await users().edit(user.id, { password, confirmed: true });
      await strapi.sessionManager('users-permissions').invalidateRefreshToken(String(user.id));
    },
  };
}
