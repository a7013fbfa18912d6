import { errors } from '@strapi/utils';
import { accountService } from '../../accounts/service';
import { registerBody, verifyBody, resendBody, emailOnlyBody, resetBody, changePasswordBody, profileBody } from '../../accounts/validation';
import { validate } from '../../utils/validate';
import type { RuleName } from '../../security/rate-limit';

const USER_UID = 'plugin::users-permissions.user';

const limited = (rule: RuleName) => ({ name: 'global::auth-rate-limit', config: { rule } });

/** Strapi's link-based flows, replaced by the emailed-code flows below. */
const REPLACED_PATHS = ['/auth/forgot-password', '/auth/reset-password', '/auth/email-confirmation', '/auth/send-email-confirmation'];
const LIMIT_BY_PATH: Record<string, RuleName> = { '/auth/local': 'login', '/auth/local/register': 'register', '/auth/refresh': 'refresh' };

const ACCOUNT_ROUTES = [
  { path: '/auth/otp/verify', handler: 'account.verifyEmail', rule: 'verify' },
  { path: '/auth/otp/resend', handler: 'account.resendCode', rule: 'resend' },
  { path: '/auth/password/forgot', handler: 'account.forgotPassword', rule: 'forgot' },
  { path: '/auth/password/reset', handler: 'account.resetPassword', rule: 'reset' },
] as const;

/** Signed-in routes of one's own account (granted to students in bootstrap/site-roles.ts). */
const OWN_ACCOUNT_ROUTES = [{ method: 'PUT', path: '/account/profile', handler: 'account.updateProfile' }] as const;

/** Limits the accounts service applies itself (change-password) answer like the route limiter: 429 with Retry-After. */
async function withRetryAfter(ctx: any, work: () => Promise<void>) {
  try {
    await work();
  } catch (error: any) {
    if (error instanceof errors.RateLimitError) ctx.set('Retry-After', String((error.details as any)?.retryAfter ?? 60));
    throw error;
  }
}

/** Opens a session exactly as users-permissions' login does in `jwtManagement: 'refresh'` mode. */
async function openSession(strapi: any, ctx: any, user: any) {
  const sessions = strapi.sessionManager('users-permissions');
  const refresh = await sessions.generateRefreshToken(String(user.id), undefined, {
    type: 'refresh',
    metadata: { userAgent: ctx.request.headers['user-agent'] },
  });
  const access = await sessions.generateAccessToken(refresh.token);
  if ('error' in access) throw new errors.ApplicationError('Could not open a session');
  const safeUser = await strapi.contentAPI.sanitize.output(user, strapi.getModel(USER_UID), { auth: ctx.state.auth });
  return { jwt: access.token, refreshToken: refresh.token, user: safeUser };
}

/**
 * Accounts on users-permissions (no second user system): sign-up sends a 6-digit code
 * instead of logging in, login waits for verification, password reset is by code and
 * ends every session, change-password follows the sign-up rule and ends the other sessions,
 * users have a display name (edited at PUT /api/account/profile), the auth routes are
 * rate-limited per IP and per account (shared through Redis when configured), and an access
 * token dies with its session.
 */
export default (plugin: any) => {
  const routes = plugin.routes['content-api'].routes.filter((route: any) => !REPLACED_PATHS.includes(route.path));
  for (const route of routes) {
    // Ours replace users-permissions' limiter everywhere (change-password's is in the accounts
    // service: it counts wrong current passwords only).
    const rule = LIMIT_BY_PATH[route.path];
    const others = (route.config?.middlewares ?? []).filter((m: unknown) => m !== 'plugin::users-permissions.rateLimit');
    route.config = { ...route.config, middlewares: rule ? [limited(rule), ...others] : others };
  }
  for (const { path, handler, rule } of ACCOUNT_ROUTES) {
    routes.push({ method: 'POST', path, handler, config: { prefix: '', middlewares: [limited(rule)] } });
  }
  for (const route of OWN_ACCOUNT_ROUTES) routes.push({ ...route, config: { prefix: '' } });
  plugin.routes['content-api'].routes = routes;

  // The name the site greets a student with and a mentor sees in the viewer list; never the email.
  plugin.contentTypes.user.schema.attributes.displayName = { type: 'string', maxLength: 60 };

  const authController = plugin.controllers.auth;
  plugin.controllers.auth = (context: { strapi: any }) => {
    const auth = authController(context);
    const { strapi } = context;
    const accounts = accountService(strapi);
    return {
      ...auth,
      async register(ctx: any) {
        const input = validate(registerBody, ctx.request.body ?? {});
        const { registration } = accounts.register(input);
        ctx.body = { ok: true, message: `We sent a 6-digit code to ${input.email}. Enter it to finish signing up.`, registration };
      },
      async callback(ctx: any) {
        const { identifier, password } = ctx.request.body ?? {};
        // Malformed bodies go straight to users-permissions' own validation (400).
        if ((ctx.params.provider ?? 'local') === 'local' && typeof identifier === 'string' && typeof password === 'string') {
          await accounts.guardSignIn(identifier, password);
        }
        return auth.callback(ctx);
      },
      async changePassword(ctx: any) {
        if (!ctx.state.user) throw new errors.UnauthorizedError('Sign in to change your password');
        const input = validate(changePasswordBody, ctx.request.body ?? {});
        await withRetryAfter(ctx, async () => {
          const user = await accounts.changePassword(ctx.state.user.id, input, ctx.request.ip);
          ctx.body = await openSession(strapi, ctx, user);
        });
      },
    };
  };

  plugin.controllers.account = ({ strapi }: { strapi: any }) => {
    const accounts = accountService(strapi);
    return {
      async verifyEmail(ctx: any) {
        const { email, code, registration } = validate(verifyBody, ctx.request.body ?? {});
        const user = await accounts.verify(email, code, registration);
        ctx.body = await openSession(strapi, ctx, user);
      },
      async resendCode(ctx: any) {
        const { email, registration } = validate(resendBody, ctx.request.body ?? {});
        accounts.resendVerification(email, registration);
        ctx.body = { ok: true, message: 'If that email is waiting for verification, a new code is on its way.' };
      },
      async forgotPassword(ctx: any) {
        const { email } = validate(emailOnlyBody, ctx.request.body ?? {});
        accounts.forgotPassword(email);
        ctx.body = { ok: true, message: 'If an account uses that email, a reset code is on its way.' };
      },
      async resetPassword(ctx: any) {
        const { email, code, password } = validate(resetBody, ctx.request.body ?? {});
        await accounts.resetPassword(email, code, password);
        ctx.body = { ok: true, message: 'Your password is changed and every device was signed out. Sign in with the new password.' };
      },
      async updateProfile(ctx: any) {
        if (!ctx.state.user) throw new errors.UnauthorizedError('Sign in to change your profile');
        const input = validate(profileBody, ctx.request.body ?? {});
        const user = await accounts.updateProfile(ctx.state.user.id, input);
        ctx.body = await strapi.contentAPI.sanitize.output(user, strapi.getModel(USER_UID), { auth: ctx.state.auth });
      },
    };
  };

  // An access token is only as alive as its session: a reset or logout ends it at once,
  // not when the token expires.
  const jwtService = plugin.services.jwt;
  plugin.services.jwt = (context: { strapi: any }) => {
    const jwt = jwtService(context);
    const verify = jwt.verify.bind(jwt);
    jwt.verify = async (token: string) => {
      const payload = await verify(token);
      if (payload?.sessionId && !(await context.strapi.sessionManager('users-permissions').isSessionActive(payload.sessionId))) {
        throw new Error('Invalid token.');
      }
      return payload;
    };
    return jwt;
  };

  return plugin;
};
