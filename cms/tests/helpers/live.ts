import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signInNewStudent, type TestApp } from './strapi';
import { adminAuth, superAdmin } from './payments';

const CMS_DIR = path.resolve(__dirname, '..', '..');
const LIVE_PLUGIN_DIR = path.resolve(CMS_DIR, '..', 'src-plugins', 'live');

export const SESSION_UID = 'plugin::live.live-session';
export const ATTENDEE_UID = 'plugin::live.live-attendee';

export type Auth = Record<string, string>;
export type LiveActors = Awaited<ReturnType<typeof liveActors>>;

/** A published course's documentId by slug (demo seed). */
export async function courseId(app: TestApp, slug: string): Promise<string> {
  const course = await app.strapi.db.query('api::course.course').findOne({ where: { slug, publishedAt: { $notNull: true } }, select: ['documentId'] });
  if (!course) throw new Error(`no published course ${slug}`);
  return course.documentId;
}

/**
 * Everyone the live API distinguishes, on the demo seed: Ananya teaches javascript-foundations
 * (free), Vikram doesn't; one student enrolled there, one not.
 */
export async function liveActors(app: TestApp) {
  const course = await courseId(app, 'javascript-foundations');
  const otherCourse = await courseId(app, 'python-for-everyone');
  const enrolled = await signInNewStudent(app, 'live-enrolled');
  const enroll = await app.http.post(`/api/courses/${course}/enroll`).set(enrolled.auth);
  if (enroll.status !== 200 && enroll.status !== 201) throw new Error(`enroll answered ${enroll.status}`);
  return {
    course,
    otherCourse,
    admin: await superAdmin(app),
    owner: await adminAuth(app, { email: 'ananya.rao@skillyug.local' }),
    otherMentor: await adminAuth(app, { email: 'vikram.nair@skillyug.local' }),
    enrolled,
    stranger: await signInNewStudent(app, 'live-stranger'),
  };
}

/** Schedules a session as `auth` (the owning mentor by default) and returns its DTO. */
export async function scheduleSession(app: TestApp, auth: Auth, body: Record<string, unknown>) {
  const res = await app.http
    .post('/api/live/sessions')
    .set(auth)
    .send({ title: 'Closures, live', scheduledAt: new Date(Date.now() + 3600_000).toISOString(), ...body });
  if (res.status !== 201) throw new Error(`schedule answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; status: string; ingestServer: string };
}

export async function streamKeyOf(app: TestApp, auth: Auth, sessionId: string) {
  const res = await app.http.get(`/live/sessions/${sessionId}/stream-key`).set(auth);
  if (res.status !== 200) throw new Error(`stream-key answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data as { server: string; streamKey: string };
}

export const sessionRow = (app: TestApp, documentId: string) => app.strapi.db.query(SESSION_UID).findOne({ where: { documentId } });
export const countRows = (app: TestApp, uid: string) => app.strapi.db.query(uid).count({});

/** A student's attendance row for a session (by the session's documentId). */
export async function attendeeRow(app: TestApp, sessionDocumentId: string, userId: number) {
  const session = await sessionRow(app, sessionDocumentId);
  if (!session) throw new Error(`no live session ${sessionDocumentId}`);
  return app.strapi.db.query(ATTENDEE_UID).findOne({ where: { sessionId: session.id, userId } });
}

/**
 * What OBS does with the panel's settings: publishes a test pattern (with a tone) to
 * `<server>/<streamKey>` with Debian's ffmpeg, keyframes every second. Small and `ultrafast` so
 * it keeps real time on a loaded CI machine next to Strapi, the site and Chromium.
 * `stop()` kills it and resolves when it has exited.
 */
export function publishTestPattern(server: string, streamKey: string, { seconds = 120 } = {}) {
  const child = spawn(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=426x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-b:a', '64k',
      '-t', String(seconds), '-f', 'flv', `${server}/${streamKey}`],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr = (stderr + String(chunk)).slice(-4000); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Where `strapi build` writes the admin panel, and where `createStrapi({ serveAdminPanel: true })` serves it from. */
export const ADMIN_BUILD_DIR = path.join(CMS_DIR, 'dist', 'build');

/** The newest modification time under a file or folder. */
function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/**
 * Builds the admin panel (`strapi build` in cms/, as `npm run build` does) when cms/dist/build is
 * missing or older than the live plugin's admin sources (or the server contracts they import).
 * CI builds before testing, so there this is a no-op. Returns whether it built.
 */
export async function ensureAdminBuild(): Promise<boolean> {
  const index = path.join(ADMIN_BUILD_DIR, 'index.html');
  const sources = [
    path.join(LIVE_PLUGIN_DIR, 'admin', 'src'),
    // Server files the admin bundles (contracts, the money helpers, the stream-health wording).
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'sessions', 'contracts.ts'),
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'realtime', 'contracts.ts'),
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'recordings', 'contracts.ts'),
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'authoring', 'contracts.ts'),
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'realtime', 'chat-log.ts'),
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'realtime', 'classroom-state.ts'),
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'utils'),
    path.join(LIVE_PLUGIN_DIR, 'server', 'src', 'sessions', 'providers', 'local', 'health-report.ts'),
    // The app's own admin customisations (branding: cms/src/admin/app.tsx and its assets).
    path.join(CMS_DIR, 'src', 'admin'),
  ].filter((p) => fs.existsSync(p));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return false;
  // As `npm run build` runs it: the build reads the app's config, so none of the variables jest or
  // a test put into this worker (NODE_ENV=test, a PUBLIC_URL that would bake an absolute backend
  // URL into the bundle instead of the same-origin "/", a test database).
  const env: Record<string, string | undefined> = { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', SKILLYUG_BUILD: 'true' };
  for (const name of ['NODE_ENV', 'PUBLIC_URL', 'DATABASE_URL', 'SQLITE_FILENAME', 'SKILLYUG_ENV_FILE']) delete env[name];
  const child = spawn('npx', ['strapi', 'build'], { cwd: CMS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + String(chunk)).slice(-6000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => { child.once('error', reject); child.once('exit', resolve); });
  if (code !== 0 || !fs.existsSync(index)) throw new Error(`strapi build failed (exit ${code}):\n${output}`);
  return true;
}
