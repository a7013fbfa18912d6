/**
 * Course authoring: the outline API (/live/outline/…) an editor builds, orders and publishes a
 * course with; and the catalog rules under it — slugs, labels, durations read from videos, the
 * cascade when a course is unpublished, and the public API never serving a module or lesson of a
 * course that isn't published.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startStrapi, signInNewStudent, type TestApp } from './helpers/strapi';
import { adminAuth, mentorAdmin } from './helpers/payments';
import { mp4Duration } from '../../database/seed/mp4-duration';
import { backfillCatalogLabels } from '../src/catalog/labels';
import { ensureContentManagerLayouts } from '../src/bootstrap/content-manager-layouts';

const COURSE = 'api::course.course';
const MODULE = 'api::module.module';
const LESSON = 'api::lesson.lesson';
const DEMO_VIDEO = path.resolve(__dirname, '..', '..', 'database', 'seed', 'media', 'lesson-1.mp4');

type Auth = Record<string, string>;
type OutlineLesson = { documentId: string; title: string; slug: string; type: string; duration: number; isPreview: boolean; hasVideo: boolean; state: string; order: number };
type OutlineModule = { documentId: string; title: string; order: number; state: string; lessons: OutlineLesson[] };
type Outline = { course: { documentId: string; title: string; slug: string; state: string; updatedAt: string }; modules: OutlineModule[]; rights: { edit: boolean; publish: boolean } };

let app: TestApp;
let editor: { id: number; auth: Auth };
let mentor: { id: number; auth: Auth };

/** An admin with Strapi's Editor role (its rights come from cms/src/bootstrap/admin-roles.ts). */
async function newEditor(label: string) {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } });
  const email = `${label}-${Date.now()}@test.skillyug.local`;
  await app.strapi.service('admin::user').create({ email, firstname: 'Outline', lastname: 'Editor', password: 'Outline@Editor1', roles: [role.id], isActive: true, registrationToken: null });
  return adminAuth(app, { email });
}

beforeAll(async () => {
  app = await startStrapi();
  editor = await newEditor('outline-editor');
  mentor = await mentorAdmin(app);
});
afterAll(async () => {
  await app?.stop();
});

let courseCounter = 0;
/** A draft course made as the content manager makes one: a title, no slug. */
async function draftCourse(title = `Authoring ${++courseCounter} ${Date.now()}`) {
  return (await app.strapi.documents(COURSE).create({ data: { title, isFree: true, price: 0, level: 'beginner' } as any })) as unknown as { documentId: string; slug: string; title: string };
}

const call = {
  get: (url: string, auth: Auth = editor.auth) => app.http.get(url).set(auth),
  post: (url: string, body: unknown = {}, auth: Auth = editor.auth) => app.http.post(url).set(auth).send(body as object),
  put: (url: string, body: unknown, auth: Auth = editor.auth) => app.http.put(url).set(auth).send(body as object),
  del: (url: string, auth: Auth = editor.auth) => app.http.delete(url).set(auth),
};

/** Expects `status` and returns the outline in the answer. */
async function outlineFrom(response: Promise<any> | any, status = 200): Promise<Outline> {
  const res = await response;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data as Outline;
}

const moduleNamed = (outline: Outline, title: string) => outline.modules.find((m) => m.title === title)!;
const lessonNamed = (outline: Outline, title: string) => outline.modules.flatMap((m) => m.lessons).find((l) => l.title === title)!;
const titles = (outline: Outline) => outline.modules.map((m) => [m.title, m.lessons.map((l) => l.title)]);

/** A course with two modules and four lessons, built through the outline API. */
async function builtCourse(title?: string) {
  const course = await draftCourse(title);
  const base = `/live/outline/courses/${course.documentId}`;
  let outline = await outlineFrom(call.post(`${base}/modules`, { title: 'Getting started' }), 201);
  outline = await outlineFrom(call.post(`${base}/modules`, { title: 'Going further' }), 201);
  const [first, second] = outline.modules;
  for (const [module, lesson] of [[first, 'Welcome'], [first, 'Setup'], [second, 'Closures'], [second, 'Recap']] as const) {
    outline = await outlineFrom(call.post(`/live/outline/modules/${module.documentId}/lessons`, { title: lesson }), 201);
  }
  return { course, outline };
}

/** The course's syllabus as the public API (and so the site, with sort=order:asc) lists it; null when it answers 404. */
async function publicSyllabus(courseDocumentId: string) {
  const res = await app.http
    .get(`/api/courses/${courseDocumentId}`)
    .query('populate[modules][sort][0]=order:asc&populate[modules][populate][lessons][sort][0]=order:asc&populate[modules][populate][lessons][fields][0]=title');
  if (res.status === 404) return null;
  expect(res.status).toBe(200);
  return res.body.data.modules.map((m: any) => [m.title, m.lessons.map((l: any) => l.title)]);
}

/** Which of these lessons / modules the public API serves, asked directly. */
async function publicDocuments(kind: 'lessons' | 'modules', documentIds: string[]) {
  const query = documentIds.map((id, i) => `filters[documentId][$in][${i}]=${id}`).join('&');
  const res = await app.http.get(`/api/${kind}`).query(`${query}&pagination[pageSize]=100`);
  expect(res.status).toBe(200);
  return (res.body.data as { documentId: string }[]).map((d) => d.documentId);
}

const publishedRows = (uid: string, documentIds: string[]) =>
  app.strapi.db.query(uid as any).count({ where: { documentId: { $in: documentIds }, publishedAt: { $notNull: true } } });

/** Uploads the demo clip through the admin's own upload route, as the outline's bulk upload does. */
async function uploadVideo(auth: Auth = editor.auth) {
  const res = await app.http.post('/upload').set(auth).attach('files', DEMO_VIDEO, { filename: 'Lesson one.mp4', contentType: 'video/mp4' });
  expect(res.status).toBe(201);
  return res.body[0] as { id: number; url: string };
}

describe('who may use the outline', () => {
  it('refuses visitors and students (401): it is an admin-panel API', async () => {
    const student = await signInNewStudent(app, 'outline-student');
    expect((await app.http.get('/live/outline/courses')).status).toBe(401);
    expect((await call.get('/live/outline/courses', student.auth)).status).toBe(401);
    expect((await call.post('/live/outline/courses/abcdefghijklmnopqrstuvwx/publish', {}, student.auth)).status).toBe(401);
  });

  it('lets mentors read outlines but change nothing (403 on every write)', async () => {
    const { course, outline } = await builtCourse();
    const read = await outlineFrom(call.get(`/live/outline/courses/${course.documentId}`, mentor.auth));
    expect(read.rights).toEqual({ edit: false, publish: false });
    expect(titles(read)).toEqual(titles(outline));
    expect((await call.get('/live/outline/courses', mentor.auth)).status).toBe(200);

    const module = outline.modules[0];
    const lesson = module.lessons[0];
    const order = { modules: outline.modules.map((m) => ({ documentId: m.documentId, lessons: m.lessons.map((l) => l.documentId) })).reverse() };
    const writes = [
      call.post(`/live/outline/courses/${course.documentId}/modules`, { title: 'Mine now' }, mentor.auth),
      call.put(`/live/outline/modules/${module.documentId}`, { title: 'Renamed' }, mentor.auth),
      call.del(`/live/outline/modules/${outline.modules[1].documentId}`, mentor.auth),
      call.post(`/live/outline/modules/${module.documentId}/lessons`, { title: 'Sneaky' }, mentor.auth),
      call.put(`/live/outline/lessons/${lesson.documentId}`, { isPreview: true }, mentor.auth),
      call.del(`/live/outline/lessons/${lesson.documentId}`, mentor.auth),
      call.put(`/live/outline/courses/${course.documentId}/order`, order, mentor.auth),
      call.post(`/live/outline/courses/${course.documentId}/publish`, {}, mentor.auth),
      call.post(`/live/outline/courses/${course.documentId}/unpublish`, {}, mentor.auth),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/permission/);
    }
    // Nothing changed.
    const after = await outlineFrom(call.get(`/live/outline/courses/${course.documentId}`));
    expect(titles(after)).toEqual(titles(outline));
    expect(after.course.state).toBe('draft');
    expect(lessonNamed(after, lesson.title).isPreview).toBe(false);
  });

  it('gives editors the full outline with the rights to edit and publish', async () => {
    const { course } = await builtCourse();
    const outline = await outlineFrom(call.get(`/live/outline/courses/${course.documentId}`));
    expect(outline.rights).toEqual({ edit: true, publish: true });
  });
});

describe('reading outlines', () => {
  it('lists courses, drafts included, with their module and lesson counts, and searches by title', async () => {
    const { course } = await builtCourse(`Searchable outline course ${Date.now()}`);
    const all = await call.get('/live/outline/courses');
    expect(all.status).toBe(200);
    expect(all.headers['cache-control']).toMatch(/no-store/);
    const mine = all.body.data.find((c: any) => c.documentId === course.documentId);
    expect(mine).toEqual({ documentId: course.documentId, title: course.title, state: 'draft', modules: 2, lessons: 4, updatedAt: expect.any(String) });
    const demo = all.body.data.find((c: any) => c.title === 'JavaScript Foundations' || c.state === 'published');
    expect(demo?.state).toBe('published');

    const found = await call.get('/live/outline/courses').query({ search: 'searchable OUTLINE' });
    expect(found.body.data.map((c: any) => c.documentId)).toEqual([course.documentId]);
    expect((await call.get('/live/outline/courses').query({ search: 'x'.repeat(101) })).status).toBe(400);
    expect((await call.get('/live/outline/courses').query({ sort: 'title' })).status).toBe(400);
  });

  it("gives a published course's outline in the order the site shows it", async () => {
    const course = await app.strapi.db.query(COURSE).findOne({ where: { slug: 'javascript-foundations', publishedAt: null } });
    const outline = await outlineFrom(call.get(`/live/outline/courses/${course.documentId}`));
    expect(outline.course).toMatchObject({ documentId: course.documentId, slug: 'javascript-foundations', state: 'published' });
    expect(outline.modules.length).toBeGreaterThan(0);
    for (const module of outline.modules) {
      expect(module.state).toBe('published');
      expect(module.lessons.map((l) => l.order)).toEqual([...module.lessons.map((l) => l.order)].sort((a, b) => a - b));
      for (const lesson of module.lessons) {
        expect(lesson).toEqual({
          documentId: expect.any(String),
          title: expect.any(String),
          slug: expect.any(String),
          type: expect.stringMatching(/^(video|article|live|quiz)$/),
          duration: expect.any(Number),
          isPreview: expect.any(Boolean),
          hasVideo: lesson.type === 'video',
          state: 'published',
          order: expect.any(Number),
        });
      }
    }
    expect(await publicSyllabus(course.documentId)).toEqual(titles(outline));
  });

  it('answers 404 for an unknown course and 400 for something that is no id', async () => {
    expect((await call.get('/live/outline/courses/abcdefghijklmnopqrstuvwx')).status).toBe(404);
    const bad = await call.get('/live/outline/courses/not-an-id!');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/course id/);
  });
});

describe('editing an outline', () => {
  it('adds, renames and removes modules and lessons, refusing bad input with a clear 400', async () => {
    const course = await draftCourse();
    const base = `/live/outline/courses/${course.documentId}`;
    let outline = await outlineFrom(call.post(`${base}/modules`, { title: '  Basics  ' }), 201);
    expect(outline.modules).toEqual([{ documentId: expect.any(String), title: 'Basics', order: 0, state: 'draft', lessons: [] }]);
    const basics = outline.modules[0].documentId;

    outline = await outlineFrom(call.post(`/live/outline/modules/${basics}/lessons`, { title: 'Hello world' }), 201);
    expect(outline.modules[0].lessons).toEqual([
      { documentId: expect.any(String), title: 'Hello world', slug: 'hello-world', type: 'article', duration: 0, isPreview: false, hasVideo: false, state: 'draft', order: 0 },
    ]);
    outline = await outlineFrom(call.post(`/live/outline/modules/${basics}/lessons`, { title: 'Quiz time', type: 'quiz' }), 201);
    expect(outline.modules[0].lessons.map((l) => [l.title, l.type, l.order])).toEqual([['Hello world', 'article', 0], ['Quiz time', 'quiz', 1]]);

    outline = await outlineFrom(call.put(`/live/outline/modules/${basics}`, { title: 'The basics' }));
    expect(outline.modules[0].title).toBe('The basics');
    const hello = outline.modules[0].lessons[0].documentId;
    outline = await outlineFrom(call.put(`/live/outline/lessons/${hello}`, { isPreview: true, title: 'Hello, world' }));
    expect(lessonNamed(outline, 'Hello, world')).toMatchObject({ isPreview: true, slug: 'hello-world' });

    // Bad input: each a 400 naming the field, nothing written.
    const badWrites: [Promise<any>, RegExp][] = [
      [call.post(`${base}/modules`, { title: '   ' }), /title/],
      [call.post(`${base}/modules`, { title: 'x'.repeat(161) }), /title: must be at most 160/],
      [call.post(`${base}/modules`, { title: 'Fine', order: 3 }), /Unrecognized key/i],
      [call.post(`${base}/modules`, {}), /title/],
      [call.post(`/live/outline/modules/${basics}/lessons`, { title: 'Pod', type: 'podcast' }), /type/],
      [call.post(`/live/outline/modules/${basics}/lessons`, { title: 'Long', duration: -1 }), /duration/],
      [call.post(`/live/outline/modules/${basics}/lessons`, { title: 'Ghost video', videoFileId: 99999999 }), /no uploaded file/],
      [call.post(`/live/outline/modules/${basics}/lessons`, { title: 'Article with video', type: 'article', videoFileId: 1 }), /video lesson/],
      [call.put(`/live/outline/lessons/${hello}`, {}), /nothing to update/],
      [call.put(`/live/outline/lessons/${hello}`, { isPreview: 'yes' }), /isPreview/],
    ];
    for (const [request, message] of badWrites) {
      const res = await request;
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const image = await app.strapi.db.query('plugin::upload.file').findOne({ where: { mime: { $startsWith: 'image/' } } });
    const notVideo = await call.post(`/live/outline/modules/${basics}/lessons`, { title: 'Picture', videoFileId: image.id });
    expect(notVideo.status).toBe(400);
    expect(notVideo.body.error.message).toMatch(/is not a video/);

    // A module with lessons can't be removed; an empty one can; lessons can.
    const full = await call.del(`/live/outline/modules/${basics}`);
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/still has 2 lessons/);
    outline = await outlineFrom(call.post(`${base}/modules`, { title: 'Empty' }), 201);
    outline = await outlineFrom(call.del(`/live/outline/modules/${moduleNamed(outline, 'Empty').documentId}`));
    outline = await outlineFrom(call.del(`/live/outline/lessons/${hello}`));
    expect(titles(outline)).toEqual([['The basics', ['Quiz time']]]);
    expect(await app.strapi.db.query(LESSON).count({ where: { documentId: hello } })).toBe(0);

    expect((await call.put('/live/outline/modules/abcdefghijklmnopqrstuvwx', { title: 'Nope' })).status).toBe(404);
    expect((await call.del('/live/outline/lessons/abcdefghijklmnopqrstuvwx')).status).toBe(404);
  });

  it('reorders modules and lessons, moving a lesson to another module, and the published site follows', async () => {
    const { course, outline: built } = await builtCourse();
    const getting = moduleNamed(built, 'Getting started');
    const further = moduleNamed(built, 'Going further');
    const id = (title: string) => lessonNamed(built, title).documentId;
    const base = `/live/outline/courses/${course.documentId}`;

    // Published first, so the reorder shows as changes waiting to be published.
    await outlineFrom(call.post(`${base}/publish`));
    const order = {
      modules: [
        { documentId: further.documentId, lessons: [id('Recap'), id('Setup'), id('Closures')] },
        { documentId: getting.documentId, lessons: [id('Welcome')] },
      ],
    };
    const outline = await outlineFrom(call.put(`${base}/order`, order));
    expect(titles(outline)).toEqual([
      ['Going further', ['Recap', 'Setup', 'Closures']],
      ['Getting started', ['Welcome']],
    ]);
    expect(outline.modules.map((m) => m.order)).toEqual([0, 1]);
    expect(outline.modules[0].lessons.map((l) => l.order)).toEqual([0, 1, 2]);
    // Only what moved is a change; Welcome kept its place.
    expect(lessonNamed(outline, 'Setup').state).toBe('modified');
    expect(lessonNamed(outline, 'Welcome').state).toBe('published');
    // Not live until published…
    expect(await publicSyllabus(course.documentId)).toEqual([
      ['Getting started', ['Welcome', 'Setup']],
      ['Going further', ['Closures', 'Recap']],
    ]);
    // …then the site lists exactly the outline's order.
    const published = await call.post(`${base}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.meta.published).toEqual({ modules: 2, lessons: 3 });
    expect(await publicSyllabus(course.documentId)).toEqual(titles(published.body.data));
  });

  it('refuses an order that is not exactly the course’s modules and lessons', async () => {
    const { course, outline } = await builtCourse();
    const other = await builtCourse();
    const base = `/live/outline/courses/${course.documentId}/order`;
    const exact = () => outline.modules.map((m) => ({ documentId: m.documentId, lessons: m.lessons.map((l) => l.documentId) }));

    const missing = exact();
    missing[1].lessons.pop();
    const duplicated = exact();
    duplicated[1].lessons.push(duplicated[0].lessons[0]);
    const foreign = exact();
    foreign[0].lessons.push(other.outline.modules[0].lessons[0].documentId);
    const noModule = exact().slice(0, 1);
    noModule[0].lessons.push(...exact()[1].lessons);

    for (const [modules, message] of [
      [missing, /every lesson.*missing "Recap"/],
      [duplicated, /every lesson.*listed more than once: "Welcome"/],
      [foreign, /every lesson.*not in this course/],
      [noModule, /every module.*missing "Going further"/],
    ] as const) {
      const res = await call.put(base, { modules });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await call.put(base, { modules: [{ documentId: 'bad id', lessons: [] }] })).status).toBe(400);
    expect((await call.put(base, { order: [] })).status).toBe(400);
    const unchanged = await outlineFrom(call.get(`/live/outline/courses/${course.documentId}`));
    expect(titles(unchanged)).toEqual(titles(outline));
  });
});

describe('publishing a course whole', () => {
  it('publishes the course with every module and lesson at once, and unpublishes all of it', async () => {
    const { course, outline } = await builtCourse();
    const base = `/live/outline/courses/${course.documentId}`;
    const moduleIds = outline.modules.map((m) => m.documentId);
    const lessonIds = outline.modules.flatMap((m) => m.lessons.map((l) => l.documentId));
    expect(await publicSyllabus(course.documentId)).toBeNull();

    const published = await call.post(`${base}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.meta).toEqual({ published: { modules: 2, lessons: 4 } });
    const live: Outline = published.body.data;
    expect([live.course.state, ...live.modules.map((m) => m.state), ...live.modules.flatMap((m) => m.lessons.map((l) => l.state))].every((s) => s === 'published')).toBe(true);
    expect(await publicSyllabus(course.documentId)).toEqual(titles(outline));
    expect((await publicDocuments('lessons', lessonIds)).sort()).toEqual([...lessonIds].sort());

    // Again: nothing is waiting, nothing is republished. One change: one lesson.
    expect((await call.post(`${base}/publish`)).body.meta.published).toEqual({ modules: 0, lessons: 0 });
    const renamed = await outlineFrom(call.put(`/live/outline/lessons/${lessonIds[0]}`, { title: 'Welcome aboard' }));
    expect(renamed.course.state).toBe('published');
    expect(lessonNamed(renamed, 'Welcome aboard').state).toBe('modified');
    expect((await call.post(`${base}/publish`)).body.meta.published).toEqual({ modules: 0, lessons: 1 });

    const unpublished = await call.post(`${base}/unpublish`);
    expect(unpublished.status).toBe(200);
    expect(unpublished.body.meta).toEqual({ unpublished: { modules: 2, lessons: 4 } });
    const hidden: Outline = unpublished.body.data;
    expect(hidden.course.state).toBe('draft');
    expect(hidden.modules.flatMap((m) => [m.state, ...m.lessons.map((l) => l.state)]).every((s) => s === 'draft')).toBe(true);
    // Drafts stay: the outline is the same.
    expect(titles(hidden)).toEqual(titles(renamed));

    expect((await app.http.get(`/api/courses/${course.documentId}`)).status).toBe(404);
    expect(await publicDocuments('lessons', lessonIds)).toEqual([]);
    expect(await publicDocuments('modules', moduleIds)).toEqual([]);
    for (const lesson of lessonIds) expect((await app.http.get(`/api/lessons/${lesson}`)).status).toBe(404);
    expect(await publishedRows(LESSON, lessonIds)).toBe(0);
    expect((await call.post(`${base}/unpublish`)).body.meta.unpublished).toEqual({ modules: 0, lessons: 0 });
  });

  it('publishes nothing when one item fails validation, naming it (400)', async () => {
    const { course, outline } = await builtCourse();
    // A draft module without a title (drafts may lack required fields; published versions may not).
    await app.strapi.documents(MODULE).create({ data: { course: course.documentId } as any });
    const res = await call.post(`/live/outline/courses/${course.documentId}/publish`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^The module "\(untitled\)" can't be published: title/);
    expect(res.body.error.details.item).toMatchObject({ kind: 'module', documentId: expect.any(String) });
    // All or nothing: the course and the others stay drafts.
    expect(await publishedRows(COURSE, [course.documentId])).toBe(0);
    expect(await publishedRows(LESSON, outline.modules.flatMap((m) => m.lessons.map((l) => l.documentId)))).toBe(0);
  });

  it('answers 404 for an unknown course', async () => {
    expect((await call.post('/live/outline/courses/abcdefghijklmnopqrstuvwx/publish')).status).toBe(404);
    expect((await call.post('/live/outline/courses/abcdefghijklmnopqrstuvwx/unpublish')).status).toBe(404);
    expect((await call.post('/live/outline/courses/abcdefghijklmnopqrstuvwx/publish', { force: true })).status).toBe(400);
  });
});

describe('a course unpublished or deleted outside the outline', () => {
  it('takes its modules and lessons with it when unpublished through the document service alone', async () => {
    const { course, outline } = await builtCourse();
    await outlineFrom(call.post(`/live/outline/courses/${course.documentId}/publish`));
    const lessonIds = outline.modules.flatMap((m) => m.lessons.map((l) => l.documentId));
    const moduleIds = outline.modules.map((m) => m.documentId);

    // As the content manager's "Unpublish" does.
    await app.strapi.documents(COURSE).unpublish({ documentId: course.documentId });
    expect(await publishedRows(LESSON, lessonIds)).toBe(0);
    expect(await publishedRows(MODULE, moduleIds)).toBe(0);
    expect(await publicDocuments('lessons', lessonIds)).toEqual([]);
    expect((await app.http.get(`/api/courses/${course.documentId}`)).status).toBe(404);
    // The drafts are still there to publish again.
    expect(titles(await outlineFrom(call.get(`/live/outline/courses/${course.documentId}`)))).toEqual(titles(outline));
  });

  it('deletes its modules and lessons with it', async () => {
    const { course, outline } = await builtCourse();
    await outlineFrom(call.post(`/live/outline/courses/${course.documentId}/publish`));
    const lessonIds = outline.modules.flatMap((m) => m.lessons.map((l) => l.documentId));
    await app.strapi.documents(COURSE).delete({ documentId: course.documentId });
    expect(await app.strapi.db.query(LESSON).count({ where: { documentId: { $in: lessonIds } } })).toBe(0);
    expect(await app.strapi.db.query(MODULE).count({ where: { documentId: { $in: outline.modules.map((m) => m.documentId) } } })).toBe(0);
  });

  it('never serves a module or lesson of an unpublished course, even when the data says otherwise', async () => {
    const { course, outline } = await builtCourse();
    await outlineFrom(call.post(`/live/outline/courses/${course.documentId}/publish`));
    const lesson = outline.modules[0].lessons[0];
    await outlineFrom(call.put(`/live/outline/lessons/${lesson.documentId}`, { isPreview: true }));
    await outlineFrom(call.post(`/live/outline/courses/${course.documentId}/publish`));
    const student = await signInNewStudent(app, 'outline-progress');
    await app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth).expect(201);
    expect((await app.http.put(`/api/lesson-progresses/${lesson.documentId}`).set(student.auth).send({ positionSeconds: 5 })).status).toBe(200);
    const progressLesson = async () => (await app.http.get('/api/lesson-progresses').set(student.auth).query('populate[lesson][fields][0]=title')).body.data[0].lesson;
    expect((await progressLesson())?.title).toBe(lesson.title);

    // The course's published version disappears behind the document service's back (no cascade ran).
    await app.strapi.db.query(COURSE).delete({ where: { documentId: course.documentId, publishedAt: { $notNull: true } } });
    const lessonIds = outline.modules.flatMap((m) => m.lessons.map((l) => l.documentId));
    expect(await publishedRows(LESSON, lessonIds)).toBe(lessonIds.length);

    expect(await publicDocuments('lessons', lessonIds)).toEqual([]);
    expect(await publicDocuments('modules', outline.modules.map((m) => m.documentId))).toEqual([]);
    expect((await app.http.get(`/api/lessons/${lesson.documentId}`)).status).toBe(404);
    expect((await app.http.get(`/api/modules/${outline.modules[0].documentId}`).query('populate=lessons')).status).toBe(404);
    const count = await app.http.get('/api/lessons').query(`filters[module][documentId][$eq]=${outline.modules[0].documentId}`);
    expect(count.body.meta.pagination.total).toBe(0);
    // Populated from another type: the progress keeps its row but not the lesson.
    expect(await progressLesson()).toBeNull();
  });
});

describe('slugs', () => {
  it('makes a course slug from the title, unique across courses', async () => {
    const title = `Slug Course ${Date.now()}`;
    const first = await draftCourse(title);
    const second = await draftCourse(title);
    expect(first.slug).toBe(title.toLowerCase().replace(/ /g, '-'));
    expect(second.slug).toBe(`${first.slug}-2`);
    const category = (await app.strapi.documents('api::category.category').create({ data: { name: `Data & AI ${Date.now()}` } as any })) as any;
    expect(category.slug).toMatch(/^data-ai-\d+$/);
  });

  it('makes lesson slugs unique within their course only', async () => {
    const a = await builtCourse();
    const b = await builtCourse();
    // Same lesson titles in two courses: the same slugs.
    expect(lessonNamed(a.outline, 'Welcome').slug).toBe('welcome');
    expect(lessonNamed(b.outline, 'Welcome').slug).toBe('welcome');
    // A second "Welcome" in one course gets a suffix, in either module.
    let outline = await outlineFrom(call.post(`/live/outline/modules/${a.outline.modules[1].documentId}/lessons`, { title: 'Welcome' }), 201);
    expect(outline.modules[1].lessons.at(-1)!.slug).toBe('welcome-2');
    outline = await outlineFrom(call.post(`/live/outline/modules/${a.outline.modules[0].documentId}/lessons`, { title: 'Welcome!' }), 201);
    expect(outline.modules[0].lessons.at(-1)!.slug).toBe('welcome-3');
    // The site finds each by course and slug.
    await outlineFrom(call.post(`/live/outline/courses/${b.course.documentId}/publish`));
    const found = await app.http.get('/api/lessons').query(`filters[slug][$eq]=welcome&filters[module][course][slug][$eq]=${b.course.slug}`);
    expect(found.body.data.map((l: any) => l.documentId)).toEqual([lessonNamed(b.outline, 'Welcome').documentId]);
  });

  it('follows the title until edited by hand, then keeps the hand-made slug', async () => {
    const { outline } = await builtCourse();
    const setup = lessonNamed(outline, 'Setup');
    let after = await outlineFrom(call.put(`/live/outline/lessons/${setup.documentId}`, { title: 'Installing Node' }));
    expect(lessonNamed(after, 'Installing Node').slug).toBe('installing-node');

    // The content manager sends the whole form: the slug typed by hand, then later a new title with that slug.
    await app.strapi.documents(LESSON).update({ documentId: setup.documentId, data: { title: 'Installing Node', slug: 'Node Setup' } as any });
    after = await outlineFrom(call.get(`/live/outline/courses/${(await courseOfLesson(setup.documentId))}`));
    expect(lessonNamed(after, 'Installing Node').slug).toBe('node-setup');
    await app.strapi.documents(LESSON).update({ documentId: setup.documentId, data: { title: 'Installing Node 22', slug: 'node-setup' } as any });
    const row = await app.strapi.db.query(LESSON).findOne({ where: { documentId: setup.documentId, publishedAt: null } });
    expect(row).toMatchObject({ title: 'Installing Node 22', slug: 'node-setup' });

    // Emptied: made from the title again.
    await app.strapi.documents(LESSON).update({ documentId: setup.documentId, data: { slug: '' } as any });
    expect((await app.strapi.db.query(LESSON).findOne({ where: { documentId: setup.documentId, publishedAt: null } })).slug).toBe('installing-node-22');

    // A course slug follows its title the same way.
    const course = await draftCourse(`Follow Me ${Date.now()}`);
    const renamed = (await app.strapi.documents(COURSE).update({ documentId: course.documentId, data: { title: `Followed ${Date.now()}`, slug: course.slug } as any })) as any;
    expect(renamed.slug).toBe(renamed.title.toLowerCase().replace(/ /g, '-'));
  });
});

async function courseOfLesson(lessonDocumentId: string): Promise<string> {
  const row = await app.strapi.db
    .query(LESSON)
    .findOne({ where: { documentId: lessonDocumentId, publishedAt: null }, populate: { module: { populate: { course: { select: ['documentId'] } } } } });
  return row.module.course.documentId;
}

describe('durations from videos', () => {
  const clipSeconds = Math.round(mp4Duration(fs.readFileSync(DEMO_VIDEO)));

  it('reads a new video lesson’s duration from the uploaded file, over what the browser said', async () => {
    const { outline } = await builtCourse();
    const video = await uploadVideo();
    const after = await outlineFrom(
      call.post(`/live/outline/modules/${outline.modules[0].documentId}/lessons`, { title: 'Lesson one', videoFileId: video.id, duration: 1 }),
      201
    );
    expect(lessonNamed(after, 'Lesson one')).toMatchObject({ type: 'video', hasVideo: true, duration: clipSeconds });
    expect(clipSeconds).toBeGreaterThan(1);
  });

  it('fills an empty duration when a video is set in the content manager, and keeps a typed one', async () => {
    const { outline } = await builtCourse();
    const video = await uploadVideo();
    const [welcome, setup] = outline.modules[0].lessons;
    await app.strapi.documents(LESSON).update({ documentId: welcome.documentId, data: { video: video.id, duration: 0 } as any });
    await app.strapi.documents(LESSON).update({ documentId: setup.documentId, data: { video: { id: video.id }, duration: 600 } as any });
    const rows = await app.strapi.db.query(LESSON).findMany({ where: { documentId: { $in: [welcome.documentId, setup.documentId] }, publishedAt: null } });
    expect(rows.find((r: any) => r.documentId === welcome.documentId).duration).toBe(clipSeconds);
    expect(rows.find((r: any) => r.documentId === setup.documentId).duration).toBe(600);
  });
});

describe('labels the admin shows', () => {
  it('names modules "<course> › <module>" and follows the course title without marking anything changed', async () => {
    const { course, outline } = await builtCourse(`Label Course ${Date.now()}`);
    const moduleId = outline.modules[0].documentId;
    const label = async (publishedAt: null | { $notNull: true } = null) =>
      (await app.strapi.db.query(MODULE).findOne({ where: { documentId: moduleId, publishedAt }, select: ['outlineLabel'] })).outlineLabel;
    expect(await label()).toBe(`${course.title} › Getting started`);
    await outlineFrom(call.put(`/live/outline/modules/${moduleId}`, { title: 'First steps' }));
    expect(await label()).toBe(`${course.title} › First steps`);

    await outlineFrom(call.post(`/live/outline/courses/${course.documentId}/publish`));
    await app.strapi.documents(COURSE).update({ documentId: course.documentId, data: { title: 'Renamed Label Course' } as any });
    expect(await label()).toBe('Renamed Label Course › First steps');
    expect(await label({ $notNull: true })).toBe('Renamed Label Course › First steps');
    const after = await outlineFrom(call.get(`/live/outline/courses/${course.documentId}`));
    expect(after.course.state).toBe('modified');
    expect(after.modules.map((m) => m.state)).toEqual(['published', 'published']);
    // Private: not in the public API.
    const res = await app.http.get(`/api/modules/${moduleId}`);
    expect(res.status).toBe(200);
    expect(res.body.data).not.toHaveProperty('outlineLabel');
  });

  it('names enrollments and lesson progress after the student and the course', async () => {
    const { course, outline } = await builtCourse(`Enrolled Course ${Date.now()}`);
    await outlineFrom(call.post(`/live/outline/courses/${course.documentId}/publish`));
    const student = await signInNewStudent(app, 'labelled');
    await app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth).expect(201);
    const lesson = outline.modules[0].lessons[0];
    await app.http.put(`/api/lesson-progresses/${lesson.documentId}`).set(student.auth).send({ positionSeconds: 3 }).expect(200);
    const enrollment = await app.strapi.db.query('api::enrollment.enrollment').findOne({ where: { user: { id: student.id } } });
    expect(enrollment.label).toBe(`${student.email} — ${course.title}`);
    const progress = await app.strapi.db.query('api::lesson-progress.lesson-progress').findOne({ where: { user: { id: student.id } } });
    expect(progress.label).toBe(`${student.email} — ${lesson.title} (${course.title})`);
    const mine = await app.http.get('/api/enrollments').set(student.auth);
    expect(mine.body.data[0]).not.toHaveProperty('label');

    // Rows from before the labels existed are filled in on start.
    await app.strapi.db.query('api::enrollment.enrollment').updateMany({ where: { id: enrollment.id }, data: { label: null } });
    await app.strapi.db.query(MODULE).updateMany({ where: { documentId: outline.modules[0].documentId }, data: { outlineLabel: null } });
    await backfillCatalogLabels(app.strapi);
    expect((await app.strapi.db.query('api::enrollment.enrollment').findOne({ where: { id: enrollment.id } })).label).toBe(`${student.email} — ${course.title}`);
    expect((await app.strapi.db.query(MODULE).findOne({ where: { documentId: outline.modules[0].documentId, publishedAt: null } })).outlineLabel).toBe(`${course.title} › Getting started`);
  });
});

describe('the content manager, configured in code', () => {
  const configuration = async (uid: string) => {
    const res = await call.get(`/content-manager/content-types/${uid}/configuration`);
    expect(res.status).toBe(200);
    return res.body.data.contentType as { settings: any; metadatas: any; layouts: { edit: { name: string }[][]; list: string[] } };
  };
  const editFields = (config: { layouts: { edit: { name: string }[][] } }) => config.layouts.edit.flat().map((cell) => cell.name);

  it('labels and describes fields, hides positions and the outline’s lists, and shows modules by course', async () => {
    const lesson = await configuration(LESSON);
    expect(lesson.metadatas.duration.edit).toMatchObject({ label: 'Duration (seconds)', description: 'Read from the video when one is uploaded' });
    expect(lesson.metadatas.isPreview.edit.label).toBe('Free preview');
    expect(lesson.metadatas.module.edit.mainField).toBe('outlineLabel');
    expect(editFields(lesson)).not.toContain('order');
    expect(editFields(lesson)).toEqual(expect.arrayContaining(['title', 'slug', 'video', 'duration', 'module']));

    const module = await configuration(MODULE);
    expect(module.settings.mainField).toBe('outlineLabel');
    expect(editFields(module)).not.toEqual(expect.arrayContaining(['order']));
    expect(editFields(module)).not.toContain('lessons');
    expect(module.metadatas.outlineLabel.edit).toMatchObject({ editable: false, label: 'Course › Module' });

    const course = await configuration(COURSE);
    expect(editFields(course)).not.toContain('modules');
    expect(course.metadatas.price.edit.label).toBe('Price (₹)');

    const enrollment = await configuration('api::enrollment.enrollment');
    expect(enrollment.settings.mainField).toBe('label');
    expect(editFields(enrollment)).not.toContain('userCourseKey');

    for (const uid of ['api::category.category', COURSE, MODULE, LESSON, 'api::instructor.instructor', 'api::enrollment.enrollment', 'api::lesson-progress.lesson-progress']) {
      const config = await configuration(uid);
      const model = app.strapi.contentTypes[uid as keyof typeof app.strapi.contentTypes] as any;
      for (const field of Object.keys(model.attributes).filter((name) => !['createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations'].includes(name))) {
        expect([uid, field, config.metadatas[field].edit.label === field]).toEqual([uid, field, false]);
        expect(config.metadatas[field].edit.description).toEqual(expect.any(String));
        expect(config.metadatas[field].edit.description.length).toBeGreaterThan(10);
      }
    }
  });

  it('tells two modules with the same title apart in the lesson’s module picker', async () => {
    const a = await builtCourse(`Picker A ${Date.now()}`);
    const b = await builtCourse(`Picker B ${Date.now()}`);
    const res = await call.get(`/content-manager/relations/${LESSON}/module`).query({ _q: 'Getting started', pageSize: 100 });
    expect(res.status).toBe(200);
    const labels = res.body.results.map((r: any) => r.outlineLabel);
    expect(labels).toEqual(expect.arrayContaining([`${a.course.title} › Getting started`, `${b.course.title} › Getting started`]));
  });

  it('writes nothing on a restart when nothing changed', async () => {
    const store = () => app.strapi.db.query('strapi::core-store').findMany({ where: { key: { $startsWith: 'plugin_content_manager_configuration_content_types::api::' } }, orderBy: { key: 'asc' } });
    const before = await store();
    await ensureContentManagerLayouts(app.strapi);
    expect(await store()).toEqual(before);
  });
});
