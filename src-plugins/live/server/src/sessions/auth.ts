/**
 * The live API (`/api/live/…`) serves two kinds of callers on the same paths: students (site
 * users, users-permissions JWT) and mentors and admins (admin-panel JWT: the mentor panel calls
 * these routes with its own session). This strategy recognizes an admin access token exactly as
 * the admin API does (a valid token of an active session of an active admin user) and attaches
 * the user's RBAC ability; anything else falls through to users-permissions. What an admin may
 * do to which session is decided by the services against that ability (actions + the
 * "own sessions" condition), not by the route.
 */
import crypto from 'node:crypto';

type AuthResult = { authenticated: boolean; credentials?: unknown; ability?: unknown };

/**
 * Could this be an admin token? Students' tokens reach this strategy first on every live request,
 * and a full admin verification of a foreign token costs a failed key import and an exception
 * inside jsonwebtoken. With the admin's HS256 secret one HMAC tells the two apart; a match (or
 * any other algorithm) still goes through Strapi's own validation below.
 */
function signedWithAdminSecret(token: string): boolean {
  const secret = strapi.config.get('admin.auth.secret') as string | undefined;
  const [header, payload, signature] = token.split('.');
  if (!secret || !header || !payload || !signature) return true;
  let alg: unknown;
  try {
    alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
  } catch {
    return false;
  }
  if (alg !== 'HS256') return true;
  const expected = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

async function authenticate(ctx: any): Promise<AuthResult> {
  const header: string | undefined = ctx.request.header.authorization;
  const [scheme, token, extra] = (header ?? '').trim().split(/\s+/);
  if (!token || extra !== undefined || scheme.toLowerCase() !== 'bearer') return { authenticated: false };

  if (!signedWithAdminSecret(token)) return { authenticated: false };
  const sessions = strapi.sessionManager?.('admin');
  if (!sessions) return { authenticated: false };
  const result = sessions.validateAccessToken(token);
  if (!result.isValid) return { authenticated: false };
  if (!(await sessions.isSessionActive(result.payload.sessionId))) return { authenticated: false };

  const id = Number(result.payload.userId);
  const user = Number.isFinite(id) ? await strapi.db.query('admin::user').findOne({ where: { id }, populate: ['roles'] }) : null;
  if (!user || user.isActive !== true) return { authenticated: false };

  const ability = await (strapi.service('admin::permission') as any).engine.generateUserAbility(user);
  ctx.state.user = user;
  ctx.state.userAbility = ability;
  ctx.state.liveAdmin = true;
  return { authenticated: true, credentials: user, ability };
}

export const ADMIN_STRATEGY_NAME = 'live-admin';

export const liveAdminStrategy = {
  name: ADMIN_STRATEGY_NAME,
  authenticate,
  // The route lists this strategy on purpose; per-session rights are checked in the services.
  verify: async () => undefined,
};

/** Route auth for endpoints mentors/admins and students share: admin token first, then users-permissions. */
export const mentorOrStudentAuth = { strategies: [liveAdminStrategy, 'users-permissions'] };

/**
 * The config of a route mentors/admins and students share. A fresh object per route: Strapi
 * writes each route's scope into config.auth (a shared object would get the first route's).
 */
export const mentorOrStudentRoute = () => ({ auth: { ...mentorOrStudentAuth }, policies: [] });
