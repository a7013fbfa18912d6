'use strict';

/**
 * Skillyug demo seed: accounts, a catalog of courses with modules and lessons, and images,
 * created through Strapi's own services so the data looks exactly like admin-panel content.
 *
 * Used by the cms bootstrap (`seedIfEmpty`, on a development start with an empty database)
 * and by `npm run seed` (database/seed.mjs → `seedDemoData`). The text lives in ./content.js,
 * the images in ./covers (regenerate them with `node database/seed/make-covers.mjs`), the
 * lesson videos in ./media (`node database/seed/make-videos.mjs`): a handful of short clips
 * shared round-robin by the video lessons, each lesson's duration read from its clip.
 *
 * Stable slugs (tests and the site rely on them):
 *   Published courses
 *     javascript-foundations          free   beginner      web-development
 *     python-for-everyone             free   beginner      programming-fundamentals
 *     react-for-beginners             ₹499   beginner      web-development
 *     sql-for-data-analysis           ₹499   beginner      data-science-ai
 *     dsa-placement-prep            ₹1,299   intermediate  programming-fundamentals
 *     node-express-rest-apis        ₹1,299   intermediate  web-development
 *     machine-learning-with-python  ₹2,999   advanced      data-science-ai
 *     devops-docker-kubernetes      ₹2,999   advanced      cloud-devops
 *   Draft course (never published, with draft-only modules and lessons)
 *     system-design-masterclass
 *   Categories: web-development, programming-fundamentals, data-science-ai, cloud-devops
 *   Instructors: ananya-rao, vikram-nair
 *   Lessons: `${courseSlug}-${slugified lesson title}`, e.g. javascript-foundations-functions-and-arrow-functions
 *
 * Demo accounts (demo-only passwords — change or remove them before production):
 *   admin@skillyug.local                          Super Admin   Skillyug@Admin1
 *   editor@skillyug.local                         Editor        Skillyug@Editor1
 *   ananya.rao@skillyug.local, vikram.nair@…      Mentor        Skillyug@Mentor1
 *   aarav.patel@, diya.menon@, kabir.singh@skillyug.local
 *                                                 Student       Skillyug@Student1
 */

const fs = require('node:fs');
const path = require('node:path');
const content = require('./content');
const { mp4Duration } = require('./mp4-duration');

const UID = {
  category: 'api::category.category',
  course: 'api::course.course',
  module: 'api::module.module',
  lesson: 'api::lesson.lesson',
  instructor: 'api::instructor.instructor',
  adminUser: 'admin::user',
  siteUser: 'plugin::users-permissions.user',
  siteRole: 'plugin::users-permissions.role',
};

const MENTOR_ROLE_CODE = 'skillyug-mentor';
/** Strapi's own Editor role (created by its admin bootstrap; its rights are set in cms/src/bootstrap/admin-roles.ts). */
const EDITOR_ROLE_CODE = 'strapi-editor';
const STUDENT_ROLE_TYPE = 'student';
const COVERS_DIR = path.join(__dirname, 'covers');
const MEDIA_DIR = path.join(__dirname, 'media');
/** The committed lesson clips (written by make-videos.mjs), in the order lessons take them. */
const lessonVideoFiles = () =>
  fs.existsSync(MEDIA_DIR) ? fs.readdirSync(MEDIA_DIR).filter((name) => name.endsWith('.mp4')).sort() : [];
/** Serialises concurrent seeds on PostgreSQL (two processes starting on one empty database). */
const PG_LOCK_KEY = 4_211_207_011;
const PHASES = 6;

/** Strapi's admin password rule (admin/server/src/validation/common-validators). */
const ADMIN_PASSWORD_RULE = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{8,72}$/;

/** Thrown by seedDemoData when demo records are already present. */
class DemoDataExistsError extends Error {
  /** @param {string[]} found */
  constructor(found) {
    super(
      `Demo data already exists (${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}); ` +
        'refusing to seed twice. Use a fresh database to re-seed.'
    );
    this.name = 'DemoDataExistsError';
    this.found = found;
  }
}

// ---------------------------------------------------------------------------
// Rich text ("blocks") builders

/** @param {string} text */
const text = (text) => ({ type: 'text', text });
/** @param {string} value */
const paragraph = (value) => ({ type: 'paragraph', children: [text(value)] });
/** @param {string} value @param {number} level */
const heading = (value, level) => ({ type: 'heading', level, children: [text(value)] });
/** @param {string[]} items @param {'ordered' | 'unordered'} format */
const list = (items, format = 'unordered') => ({
  type: 'list',
  format,
  children: items.map((item) => ({ type: 'list-item', children: [text(item)] })),
});
const SHELL = /^(npm|npx|node|cd|mkdir|pip|python3?|docker|kubectl|jupyter|source)\b/;
/** @param {string} code @param {string} language */
const codeBlock = (code, language) => ({
  type: 'code',
  language: SHELL.test(code) ? 'bash' : language,
  children: [text(code)],
});

/** @param {import('./content').CourseSpec} course */
function courseDescription(course) {
  const { intro, outcomes, audience, code } = course.description;
  return [
    paragraph(intro),
    heading('What you’ll learn', 2),
    list(outcomes),
    heading('Who this course is for', 2),
    paragraph(audience),
    ...(code ? [heading('Get set up', 2), codeBlock(code, course.codeLanguage)] : []),
    paragraph(
      course.price === 0
        ? 'This course is free: enroll with one click and keep lifetime access.'
        : 'One-time payment with lifetime access, including recordings of every live class.'
    ),
  ];
}

const LESSON_SECTIONS = {
  video: { heading: 'In this video', outro: 'Watch the video, then repeat each step in your own editor before moving on.' },
  article: { heading: 'Key ideas', outro: 'Read it once for the big picture, then type out the examples yourself: it sticks far better than copy-paste.' },
  live: { heading: 'Agenda', outro: 'This is a live class on Skillyug Live. Join from the course page at the scheduled time; the recording appears here afterwards.' },
  quiz: { heading: 'Questions', outro: 'Answer in order; you can retake the quiz as often as you like, and explanations appear after you submit.' },
};

/** @param {import('./content').LessonSpec} lesson @param {string} language */
function lessonBody(lesson, language) {
  const section = LESSON_SECTIONS[lesson.type];
  return [
    paragraph(lesson.intro), // first, and unique per lesson (see content.js)
    heading(section.heading, 3),
    list(lesson.points, lesson.type === 'quiz' ? 'ordered' : 'unordered'),
    ...(lesson.code ? [codeBlock(lesson.code, language)] : []),
    paragraph(section.outro),
  ];
}

/** @param {string} value */
const slugify = (value) =>
  value
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

const lessonSlug = (courseSlug, title) => `${courseSlug}-${slugify(title)}`;

// ---------------------------------------------------------------------------

/**
 * @typedef {object} DemoCredential
 * @property {string} email
 * @property {string} role       'Super Admin' | 'Editor' | 'Mentor' | 'Student'
 * @property {string} password
 * @property {'admin' | 'site'} signIn  the admin panel (/admin) or the student site (/api/auth/local)
 */

/** Every demo account with its demo password (also printed at the end of a seed). */
const DEMO_CREDENTIALS = /** @type {DemoCredential[]} */ ([
  { email: content.SUPER_ADMIN.email, role: 'Super Admin', password: content.PASSWORDS.admin, signIn: 'admin' },
  { email: content.EDITOR.email, role: 'Editor', password: content.PASSWORDS.editor, signIn: 'admin' },
  ...content.MENTORS.map((m) => ({ email: m.email, role: 'Mentor', password: content.PASSWORDS.mentor, signIn: 'admin' })),
  ...content.STUDENTS.map((s) => ({ email: s.email, role: 'Student', password: content.PASSWORDS.student, signIn: 'site' })),
]);

const COURSE_SLUGS = content.COURSES.map((c) => c.slug);
const FREE_COURSE_SLUGS = content.COURSES.filter((c) => c.price === 0).map((c) => c.slug);
const DRAFT_COURSE_SLUG = content.DRAFT_COURSE.slug;

/** Counts that decide whether the database is empty (drafts included). */
async function countExisting(strapi) {
  const [courses, adminUsers] = await Promise.all([
    strapi.db.query(UID.course).count(),
    strapi.db.query(UID.adminUser).count(),
  ]);
  return { courses, adminUsers };
}

/**
 * Names of demo records already in the database (courses, categories, people). Sequential
 * on purpose: inside a transaction every query shares one connection.
 */
async function findExistingDemoData(strapi) {
  const courseSlugs = [...COURSE_SLUGS, DRAFT_COURSE_SLUG];
  const courses = await strapi.db.query(UID.course).findMany({ where: { slug: { $in: courseSlugs } }, select: ['slug'] });
  const categories = await strapi.db.query(UID.category).findMany({
    where: { $or: [{ slug: { $in: content.CATEGORIES.map((c) => c.slug) } }, { name: { $in: content.CATEGORIES.map((c) => c.name) } }] },
    select: ['slug'],
  });
  const instructors = await strapi.db
    .query(UID.instructor)
    .findMany({ where: { slug: { $in: content.MENTORS.map((m) => m.instructor.slug) } }, select: ['slug'] });
  const admins = await strapi.db.query(UID.adminUser).findMany({
    where: { email: { $in: [content.SUPER_ADMIN.email, content.EDITOR.email, ...content.MENTORS.map((m) => m.email)] } },
    select: ['email'],
  });
  const students = await strapi.db.query(UID.siteUser).findMany({
    where: { $or: [{ email: { $in: content.STUDENTS.map((s) => s.email) } }, { username: { $in: content.STUDENTS.map((s) => s.username) } }] },
    select: ['email'],
  });
  return [
    ...new Set([
      ...courses.map((c) => `course ${c.slug}`),
      ...categories.map((c) => `category ${c.slug}`),
      ...instructors.map((i) => `instructor ${i.slug}`),
      ...admins.map((a) => `admin ${a.email}`),
      ...students.map((s) => `student ${s.email}`),
    ]),
  ];
}

/**
 * Seeds the demo data when the database has no course (drafts included) and no admin user;
 * otherwise does nothing. Safe to call on every start.
 *
 * @param {any} strapi
 * @param {{ log?: (line: string) => void }} [options] defaults to strapi.log.info (hidden below LOG_LEVEL=info)
 * @returns {Promise<Awaited<ReturnType<typeof seedDemoData>> | null>} the summary, or null when nothing was seeded
 */
async function seedIfEmpty(strapi, { log } = {}) {
  const existing = await countExisting(strapi);
  if (existing.courses > 0 || existing.adminUsers > 0) return null;
  try {
    return await seedDemoData(strapi, { log: log ?? ((line) => strapi.log.info(line)) });
  } catch (error) {
    // Another process seeded this database between our check and our lock: nothing to do.
    if (error instanceof DemoDataExistsError) return null;
    throw error;
  }
}

/**
 * Uploads the images, then creates the demo accounts and catalog in one database
 * transaction (all or nothing; the uploaded images are removed again if anything fails).
 * Throws DemoDataExistsError if any demo record is already there. Resolves once the
 * document service's deferred events have run.
 *
 * @param {any} strapi a loaded Strapi instance (bootstrap done: roles exist)
 * @param {{ log?: (line: string) => void }} [options]
 */
async function seedDemoData(strapi, { log = console.log } = {}) {
  const started = Date.now();
  for (const { email, password } of DEMO_CREDENTIALS) {
    if (!ADMIN_PASSWORD_RULE.test(password)) throw new Error(`Demo password for ${email} breaks Strapi's password rule`);
  }

  /** @type {any[]} */
  const uploaded = [];
  const phase = (n, label) => log(`[seed] ${n}/${PHASES} ${label}…`);
  let result;
  try {
    // Cheap pre-check so a seeded database never gets a second set of images.
    const early = await findExistingDemoData(strapi);
    if (early.length > 0) throw new DemoDataExistsError(early);

    // Images first and in parallel (sharp makes the thumbnails): outside the transaction,
    // which serialises queries on one connection. Removed again below if anything fails.
    const imageCount = content.MENTORS.length + [...content.COURSES, content.DRAFT_COURSE].filter((c) => c.cover).length;
    phase(1, `images (${imageCount} course covers and mentor avatars) and ${lessonVideoFiles().length} lesson videos`);
    const [images, videos] = await Promise.all([uploadImages(strapi, uploaded), uploadVideos(strapi, uploaded)]);

    // Everything else in one transaction: all or nothing.
    result = await strapi.db.transaction(async ({ trx }) => {
      if (strapi.db.dialect.client === 'postgres') await trx.raw('SELECT pg_advisory_xact_lock(?)', [PG_LOCK_KEY]);
      const found = await findExistingDemoData(strapi); // again, now under the lock
      if (found.length > 0) throw new DemoDataExistsError(found);

      phase(2, `admin accounts (super admin, editor, ${content.MENTORS.length} mentors)`);
      const admins = await createAdminUsers(strapi);

      phase(3, `students (${content.STUDENTS.length})`);
      const students = await createStudents(strapi);

      phase(4, 'categories and instructors');
      const categories = await createCategories(strapi);
      const instructors = await createInstructors(strapi, admins.mentors, images);

      phase(5, `courses (${content.COURSES.length} published, 1 draft) with modules and lessons`);
      const refs = { categories, instructors, images, videos: nextVideo(videos) };
      const courses = [];
      for (const spec of content.COURSES) courses.push(await createCourse(strapi, spec, refs, true));
      const draft = await createCourse(strapi, content.DRAFT_COURSE, refs, false);

      phase(6, 'checking the published catalog');
      await checkPublishedCatalog(strapi);

      return { admins, students, categories, instructors, courses, draft, images };
    });
  } catch (error) {
    await settle(strapi);
    await removeUploads(strapi, uploaded, log);
    throw error;
  }
  await settle(strapi);

  const all = [...result.courses, result.draft];
  const summary = {
    counts: {
      categories: result.categories.size,
      courses: result.courses.length,
      draftCourses: 1,
      modules: all.reduce((n, c) => n + c.modules, 0),
      lessons: all.reduce((n, c) => n + c.lessons, 0),
      instructors: result.instructors.size,
      adminUsers: 2 + result.admins.mentors.length,
      students: result.students.length,
      images: uploaded.filter((file) => file.mime?.startsWith('image/')).length,
      videos: uploaded.filter((file) => file.mime?.startsWith('video/')).length,
    },
    courses: result.courses.map(({ slug, documentId, isFree, price }) => ({ slug, documentId, isFree, price })),
    draftCourse: { slug: result.draft.slug, documentId: result.draft.documentId },
    credentials: DEMO_CREDENTIALS.map((c) => ({ ...c })),
    seconds: (Date.now() - started) / 1000,
  };
  const c = summary.counts;
  log(
    `[seed] done in ${summary.seconds.toFixed(1)} s: ${c.categories} categories, ${c.courses} published courses + ${c.draftCourses} draft, ` +
      `${c.modules} modules, ${c.lessons} lessons, ${c.instructors} instructors, ${c.adminUsers} admin users, ${c.students} students, ${c.images} images, ${c.videos} videos`
  );
  summary.liveClass = await scheduleDemoLiveClass(strapi, log);
  printCredentials(log);
  return summary;
}

/**
 * One upcoming live class, so a fresh install shows the live module end to end: Ananya's
 * "JavaScript Foundations" class tomorrow at 18:00 IST, scheduled through the live plugin as she
 * would in the panel (its channel and stream key come from the configured provider). A provider
 * that can't be reached (IVS without network) leaves the rest of the seed as it is.
 */
async function scheduleDemoLiveClass(strapi, log) {
  const live = strapi.plugin('live');
  if (!live) return null;
  try {
    const mentor = await strapi.db.query(UID.adminUser).findOne({ where: { email: content.MENTORS[0].email }, populate: ['roles'] });
    const course = await strapi.db.query(UID.course).findOne({ where: { slug: 'javascript-foundations', publishedAt: { $notNull: true } } });
    if (!mentor || !course) return null;
    const ability = await strapi.service('admin::permission').engine.generateUserAbility(mentor);
    const tomorrow = new Date();
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    tomorrow.setUTCHours(12, 30, 0, 0); // 18:00 IST
    const session = await live.service('liveSessions').create(
      { kind: 'admin', user: mentor, ability },
      {
        courseId: course.documentId,
        title: 'Live: closures and the event loop, with Q&A',
        description: 'We build a counter with closures, then trace the event loop together. Bring your questions.',
        scheduledAt: tomorrow.toISOString(),
      }
    );
    log(`[seed] live class "${session.title}" scheduled for ${session.scheduledAt} (Admin → Live classes shows its OBS settings)`);
    return { id: session.id, scheduledAt: session.scheduledAt };
  } catch (error) {
    log(`[seed] the demo live class was not scheduled: ${error.message}`);
    return null;
  }
}

/**
 * The document service emits its entry.create / entry.publish events after the transaction
 * commits, fire-and-forget, each re-reading its entry with relations: after a seed that is a
 * few hundred queries still queued on the pool. Wait until the pool has been idle for a
 * moment (at most `timeoutMs`) so callers — `app.destroy()` in the CLI, or the first API
 * requests after boot — don't race them.
 */
async function settle(strapi, timeoutMs = 30_000) {
  const pool = strapi.db.connection?.client?.pool;
  if (!pool || typeof pool.numPendingAcquires !== 'function') return;
  const deadline = Date.now() + timeoutMs;
  for (let idle = 0; idle < 3 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const busy = pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates();
    idle = busy === 0 ? idle + 1 : 0;
  }
}

function printCredentials(log) {
  const rule = '='.repeat(78);
  const row = (c) => `  ${c.email.padEnd(30)} ${c.role.padEnd(12)} ${c.password}`;
  const lines = [
    rule,
    '  Demo credentials (demo only — change or remove before production)',
    rule,
    '  Admin panel (/admin)',
    ...DEMO_CREDENTIALS.filter((c) => c.signIn === 'admin').map(row),
    '',
    '  Student site (sign in with email and password)',
    ...DEMO_CREDENTIALS.filter((c) => c.signIn === 'site').map(row),
    rule,
  ];
  for (const line of lines) log(line);
}

// ---------------------------------------------------------------------------
// Phases

async function createAdminUsers(strapi) {
  const roles = strapi.service('admin::role');
  const users = strapi.service('admin::user');
  const superAdminRole = await roles.getSuperAdmin();
  const mentorRole = await roles.findOne({ code: MENTOR_ROLE_CODE });
  const editorRole = await roles.findOne({ code: EDITOR_ROLE_CODE });
  if (!superAdminRole) throw new Error("The super admin role doesn't exist: did Strapi's admin bootstrap run?");
  if (!editorRole) throw new Error(`The Editor admin role (code ${EDITOR_ROLE_CODE}) doesn't exist: did Strapi's admin bootstrap run?`);
  if (!mentorRole) throw new Error(`The Mentor admin role (code ${MENTOR_ROLE_CODE}) doesn't exist: did the cms bootstrap run?`);

  const create = ({ email, firstname, lastname }, password, roleId) =>
    users.create({ email, firstname, lastname, password, roles: [roleId], isActive: true, registrationToken: null });

  const superAdmin = await create(content.SUPER_ADMIN, content.PASSWORDS.admin, superAdminRole.id);
  const editor = await create(content.EDITOR, content.PASSWORDS.editor, editorRole.id);
  const mentors = [];
  for (const mentor of content.MENTORS) {
    mentors.push({ spec: mentor, user: await create(mentor, content.PASSWORDS.mentor, mentorRole.id) });
  }
  return { superAdmin, editor, mentors };
}

async function createStudents(strapi) {
  const role = await strapi.db.query(UID.siteRole).findOne({ where: { type: STUDENT_ROLE_TYPE } });
  if (!role) throw new Error(`The users-permissions role "${STUDENT_ROLE_TYPE}" doesn't exist: did the cms bootstrap run?`);
  const userService = strapi.plugin('users-permissions').service('user');
  const students = [];
  for (const { username, email, displayName } of content.STUDENTS) {
    students.push(
      await userService.add({
        username,
        email,
        displayName,
        password: content.PASSWORDS.student,
        provider: 'local',
        confirmed: true,
        blocked: false,
        role: role.id,
      })
    );
  }
  return students;
}

/**
 * Uploads the covers and avatars in parallel, recording each in `uploaded` as it lands.
 * @returns {Promise<Map<string, any>>} file records by file name
 */
async function uploadImages(strapi, uploaded) {
  const uploadService = strapi.plugin('upload').service('upload');
  const wanted = [
    ...[...content.COURSES, content.DRAFT_COURSE]
      .filter((c) => c.cover)
      .map((c) => ({ name: c.cover, alternativeText: `Cover image for the course “${c.title}”` })),
    ...content.MENTORS.map((m) => ({ name: m.instructor.avatar, alternativeText: `Portrait of ${m.instructor.name}` })),
  ];
  const results = await Promise.allSettled(
    wanted.map(async ({ name, alternativeText }) => {
      const filepath = path.join(COVERS_DIR, name);
      const { size } = await fs.promises.stat(filepath).catch(() => {
        throw new Error(`Missing seed image ${filepath}: run node database/seed/make-covers.mjs`);
      });
      const [file] = await uploadService.upload({
        data: { fileInfo: { alternativeText, name } },
        files: { filepath, originalFilename: name, mimetype: 'image/png', size },
      });
      uploaded.push(file);
      return [name, file];
    })
  );
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  return new Map(results.map((r) => /** @type {PromiseFulfilledResult<[string, any]>} */ (r).value));
}

/**
 * Uploads the lesson clips, recording each in `uploaded` as it lands.
 * @returns {Promise<{ file: any, seconds: number }[]>} in file-name order, with each clip's real length
 */
async function uploadVideos(strapi, uploaded) {
  const uploadService = strapi.plugin('upload').service('upload');
  const names = lessonVideoFiles();
  if (names.length === 0) throw new Error(`No lesson videos in ${MEDIA_DIR}: run node database/seed/make-videos.mjs`);
  return Promise.all(
    names.map(async (name, index) => {
      const filepath = path.join(MEDIA_DIR, name);
      const bytes = await fs.promises.readFile(filepath);
      const seconds = Math.round(mp4Duration(bytes));
      const [file] = await uploadService.upload({
        data: { fileInfo: { alternativeText: `Demo lesson video ${index + 1} (${seconds} s)`, name } },
        files: { filepath, originalFilename: name, mimetype: 'video/mp4', size: bytes.length },
      });
      uploaded.push(file);
      return { file, seconds };
    })
  );
}

/** Hands out the clips in turn, so neighbouring video lessons show different ones. */
function nextVideo(videos) {
  let turn = 0;
  return () => videos[turn++ % videos.length];
}

/** Best effort, after a failure: delete the uploaded images and videos (files and their rows). */
async function removeUploads(strapi, files, log) {
  const uploadService = strapi.plugin('upload').service('upload');
  for (const file of files) {
    try {
      await uploadService.remove(file);
    } catch (error) {
      log(`[seed] could not remove uploaded file ${file.url}: ${error.message}`);
    }
  }
}

/** @returns {Promise<Map<string, string>>} category documentIds by slug */
async function createCategories(strapi) {
  const bySlug = new Map();
  for (const { name, slug } of content.CATEGORIES) {
    const category = await strapi.documents(UID.category).create({ data: { name, slug } });
    bySlug.set(slug, category.documentId);
  }
  return bySlug;
}

/** @returns {Promise<Map<string, string>>} instructor documentIds by slug */
async function createInstructors(strapi, mentors, images) {
  const bySlug = new Map();
  for (const { spec, user } of mentors) {
    const { name, slug, bio, avatar } = spec.instructor;
    const instructor = await strapi.documents(UID.instructor).create({
      data: { name, slug, bio, avatar: images.get(avatar).id, adminUser: user.id },
    });
    bySlug.set(slug, instructor.documentId);
  }
  return bySlug;
}

/**
 * Creates a course, then its modules, then their lessons — each published when `publish`
 * (so every published relation points at a published target), or as drafts otherwise.
 *
 * @param {any} strapi
 * @param {import('./content').CourseSpec} spec
 * @param {{ categories: Map<string, string>, instructors: Map<string, string>, images: Map<string, any>, videos: () => { file: any, seconds: number } }} refs
 * @param {boolean} publish
 */
async function createCourse(strapi, spec, refs, publish) {
  const status = publish ? { status: 'published' } : {};
  const lookup = (map, key, what) => {
    if (!map.has(key)) throw new Error(`Course ${spec.slug}: unknown ${what} "${key}"`);
    return map.get(key);
  };
  const course = await strapi.documents(UID.course).create({
    data: {
      title: spec.title,
      slug: spec.slug,
      summary: spec.summary,
      description: courseDescription(spec),
      cover: spec.cover ? lookup(refs.images, spec.cover, 'cover').id : null,
      category: lookup(refs.categories, spec.category, 'category'),
      level: spec.level,
      language: spec.language,
      price: spec.price,
      currency: 'INR',
      isFree: spec.price === 0,
      instructors: spec.instructors.map((slug) => lookup(refs.instructors, slug, 'instructor')),
    },
    ...status,
  });

  let lessons = 0;
  for (const [moduleIndex, moduleSpec] of spec.modules.entries()) {
    const mod = await strapi.documents(UID.module).create({
      data: { title: moduleSpec.title, order: moduleIndex + 1, course: course.documentId },
      ...status,
    });
    for (const [lessonIndex, lesson] of moduleSpec.lessons.entries()) {
      // A video lesson gets a real clip and says exactly how long it is.
      const video = lesson.type === 'video' ? refs.videos() : null;
      await strapi.documents(UID.lesson).create({
        data: {
          title: lesson.title,
          slug: lessonSlug(spec.slug, lesson.title),
          type: lesson.type,
          body: lessonBody(lesson, spec.codeLanguage),
          video: video ? video.file.id : null,
          duration: video ? video.seconds : lesson.minutes * 60,
          isPreview: Boolean(lesson.preview),
          order: lessonIndex + 1,
          module: mod.documentId,
        },
        ...status,
      });
      lessons++;
    }
  }
  return {
    slug: spec.slug,
    documentId: course.documentId,
    isFree: spec.price === 0,
    price: spec.price,
    modules: spec.modules.length,
    lessons,
  };
}

/**
 * Reads the catalog back the way the public API does (published documents, populated
 * relations) and checks every course has its category, instructors, cover, modules and
 * lessons, with at least one preview lesson, every video lesson its video — and that the draft
 * course stays unpublished.
 */
async function checkPublishedCatalog(strapi) {
  const courses = await strapi.documents(UID.course).findMany({
    status: 'published',
    filters: { slug: { $in: [...COURSE_SLUGS, DRAFT_COURSE_SLUG] } },
    fields: ['slug'],
    populate: {
      cover: { fields: ['url'] },
      category: { fields: ['slug'] },
      instructors: { fields: ['slug'] },
      modules: { fields: ['order'], populate: { lessons: { fields: ['isPreview', 'type', 'duration'], populate: { video: { fields: ['url'] } } } } },
    },
  });
  const problems = [];
  for (const spec of content.COURSES) {
    const course = courses.find((c) => c.slug === spec.slug);
    if (!course) {
      problems.push(`${spec.slug} is not published`);
      continue;
    }
    const lessons = (course.modules ?? []).flatMap((m) => m.lessons ?? []);
    const expectedLessons = spec.modules.reduce((n, m) => n + m.lessons.length, 0);
    if (!course.cover?.url) problems.push(`${spec.slug} has no cover`);
    if (course.category?.slug !== spec.category) problems.push(`${spec.slug} is not in category ${spec.category}`);
    if ((course.instructors ?? []).length !== spec.instructors.length) problems.push(`${spec.slug} lacks instructors`);
    if ((course.modules ?? []).length !== spec.modules.length) problems.push(`${spec.slug} shows ${course.modules?.length ?? 0}/${spec.modules.length} modules`);
    if (lessons.length !== expectedLessons) problems.push(`${spec.slug} shows ${lessons.length}/${expectedLessons} lessons`);
    if (!lessons.some((l) => l.isPreview)) problems.push(`${spec.slug} has no preview lesson`);
    const silent = lessons.filter((l) => l.type === 'video' && (!l.video?.url || !(l.duration > 0))).length;
    if (silent > 0) problems.push(`${spec.slug} has ${silent} video lesson(s) without a video or duration`);
  }
  if (courses.some((c) => c.slug === DRAFT_COURSE_SLUG)) problems.push(`${DRAFT_COURSE_SLUG} should be a draft but is published`);
  if (problems.length > 0) throw new Error(`Seeded catalog check failed:\n  - ${problems.join('\n  - ')}`);
}

module.exports = {
  seedIfEmpty,
  seedDemoData,
  DemoDataExistsError,
  DEMO_CREDENTIALS,
  COURSE_SLUGS,
  FREE_COURSE_SLUGS,
  DRAFT_COURSE_SLUG,
};
