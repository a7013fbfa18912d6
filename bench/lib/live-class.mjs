// A LIVE class with many enrolled students, prepared inside a benchmark's Strapi process.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireFromRoot = createRequire(path.join(root, 'package.json'));

/** Students are written this many to a transaction: one commit (one fsync on SQLite) per batch, not per row. */
const BATCH = 250;

/**
 * `count` confirmed students enrolled in javascript-foundations, each with an open session and its
 * access token (as `POST /api/auth/local` would give), and a LIVE class of that course started by
 * its mentor. Returns `{ sessionId, tokens, userIds, mentorToken }` (tokens[i] belongs to userIds[i];
 * `mentorToken` is the class's mentor's admin-panel access token, as /admin/login would give, for
 * the mentor's own join: the moderator's realtime grant).
 */
export async function prepareClass(strapi, count, { log = (line) => console.error(line) } = {}) {
  const course = await strapi.db.query('api::course.course').findOne({ where: { slug: 'javascript-foundations', publishedAt: { $notNull: true } } });
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'student' } });
  // One bcrypt hash for all: nobody signs in with a password here, tokens are minted below.
  const password = await requireFromRoot('bcryptjs').hash('Bench@Password1', 10);
  const sessions = strapi.sessionManager('users-permissions');
  const tokens = [];
  const userIds = [];
  const stamp = Date.now();
  const started = performance.now();
  for (let start = 0; start < count; start += BATCH) {
    await strapi.db.transaction(async () => {
      for (let i = start; i < Math.min(start + BATCH, count); i++) {
        const email = `bench-${stamp}-${i}@bench.skillyug.local`;
        const user = await strapi.db.query('plugin::users-permissions.user').create({
          data: { username: email, email, displayName: `Bench student ${i}`, password, provider: 'local', confirmed: true, blocked: false, role: role.id },
        });
        await strapi.db.query('api::enrollment.enrollment').create({
          data: { user: user.id, course: course.id, source: 'free', state: 'active', enrolledAt: new Date(), userCourseKey: `${user.id}:${course.documentId}` },
        });
        const refresh = await sessions.generateRefreshToken(String(user.id), undefined, { type: 'refresh' });
        const access = await sessions.generateAccessToken(refresh.token);
        if ('error' in access) throw new Error(`could not open a session for ${email}: ${access.error}`);
        tokens.push(access.token);
        userIds.push(user.id);
      }
    });
    const done = Math.min(start + BATCH, count);
    if (done % 500 === 0 || done === count) log(`[bench] prepared ${done}/${count} students (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  const mentor = await strapi.db.query('admin::user').findOne({ where: { email: 'ananya.rao@skillyug.local' }, populate: ['roles'] });
  const actor = { kind: 'admin', user: mentor, ability: await strapi.service('admin::permission').engine.generateUserAbility(mentor) };
  const live = strapi.plugin('live').service('liveSessions');
  const session = await live.create(actor, { courseId: course.documentId, title: 'Benchmark class', scheduledAt: new Date().toISOString() });
  await live.start(actor, session.id);
  const adminSessions = strapi.sessionManager('admin');
  const mentorRefresh = await adminSessions.generateRefreshToken(String(mentor.id), undefined, { type: 'refresh' });
  const mentorAccess = await adminSessions.generateAccessToken(mentorRefresh.token);
  if ('error' in mentorAccess) throw new Error(`could not open an admin session for the mentor: ${mentorAccess.error}`);
  return { sessionId: session.id, tokens, userIds, mentorToken: mentorAccess.token };
}
