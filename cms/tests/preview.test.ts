/**
 * Draft preview (the admin's Preview button → the site's /preview → GET /api/previews/course):
 * the handler's URL for courses, modules and lessons and for nothing else; the token as the only
 * way to a draft (tampered, expired, foreign or missing → 401, never cached); the draft course as
 * the site parses it, unpublished lessons and their content included; and the public API still
 * serving published content only, `status=draft` refused for everyone.
 */
import { loadEnv } from '@skillyug/config';
import { derivedSecret, signToken } from '@skillyug/live/utils/signed-token';
import { startStrapi, signInNewStudent, type TestApp } from './helpers/strapi';
import { adminAuth, superAdmin } from './helpers/payments';
import { signPreviewToken, PREVIEW_TOKEN_TTL_SECONDS } from '../src/access/preview-token';

const COURSE_UID = 'api::course.course';
const MODULE_UID = 'api::module.module';
const LESSON_UID = 'api::lesson.lesson';
const DRAFT_COURSE = 'system-design-masterclass';
const PUBLISHED_COURSE = 'javascript-foundations';
const EDITOR = { email: 'editor@skillyug.local', password: 'Skillyug@Editor1' };

let app: TestApp;
let editor: { auth: Record<string, string> };
let siteUrl: string;
/** The never-published demo course, one of its modules and lessons. */
let draft: { course: string; module: string; lesson: string; lessonTitle: string };
/** A lesson added to a published course and never published. */
let unpublishedLesson: { documentId: string; title: string; secret: string };
let published: { course: string; module: string };

const previewUrlOf = (uid: string, documentId: string, auth: Record<string, string> = editor.auth) =>
  app.http.get(`/content-manager/preview/url/${uid}`).query({ documentId }).set(auth);

const tokenIn = (url: string) => new URL(url).searchParams.get('token')!;

const fetchPreview = (token?: string) => app.http.get('/api/previews/course').query(token === undefined ? {} : { token });

beforeAll(async () => {
  app = await startStrapi();
  siteUrl = loadEnv('cms').SITE_URL.replace(/\/+$/, '');
  editor = await adminAuth(app, { email: EDITOR.email });

  const course: any = await app.strapi.documents(COURSE_UID).findFirst({
    filters: { slug: DRAFT_COURSE },
    status: 'draft',
    populate: { modules: { populate: { lessons: { fields: ['title'] } } } },
  } as any);
  const module = course.modules.find((m: any) => m.lessons.length > 0);
  draft = { course: course.documentId, module: module.documentId, lesson: module.lessons[0].documentId, lessonTitle: module.lessons[0].title };

  const live: any = await app.strapi.documents(COURSE_UID).findFirst({ filters: { slug: PUBLISHED_COURSE }, status: 'draft', populate: { modules: { fields: ['order'] } } } as any);
  const lastModule = [...live.modules].sort((a: any, b: any) => b.order - a.order)[0];
  published = { course: live.documentId, module: lastModule.documentId };
  const secret = `Unpublished draft words ${Date.now().toString(36)}`;
  const lesson: any = await app.strapi.documents(LESSON_UID).create({
    data: {
      title: 'A lesson still being written',
      slug: `still-being-written-${Date.now().toString(36)}`,
      type: 'article',
      isPreview: false,
      order: 99,
      body: [{ type: 'paragraph', children: [{ type: 'text', text: secret }] }],
      module: published.module,
    },
    status: 'draft',
  } as any);
  unpublishedLesson = { documentId: lesson.documentId, title: lesson.title, secret };
});

afterAll(async () => {
  await app?.stop();
});

describe('the demo editor', () => {
  it('is seeded with Strapi’s Editor role and the documented password', async () => {
    const user = await app.strapi.db.query('admin::user').findOne({ where: { email: EDITOR.email }, populate: ['roles'] });
    expect(user.isActive).toBe(true);
    expect(user.roles.map((r: any) => r.code)).toEqual(['strapi-editor']);
    expect(await app.strapi.service('admin::auth').validatePassword(EDITOR.password, user.password)).toBe(true);
  });
});

describe('the admin’s Preview button', () => {
  it.each([
    ['course', COURSE_UID, () => draft.course],
    ['module', MODULE_UID, () => draft.module],
    ['lesson', LESSON_UID, () => draft.lesson],
  ])('opens the site’s /preview for a %s, with a token naming it and its course', async (_kind, uid, id) => {
    const res = await previewUrlOf(uid, id());
    expect(res.status).toBe(200);
    const url: string = res.body.data.url;
    expect(url.startsWith(`${siteUrl}/preview?token=`)).toBe(true);
    const preview = await fetchPreview(tokenIn(url));
    expect(preview.status).toBe(200);
    expect(preview.body.data.documentId).toBe(draft.course);
    expect(preview.body.meta.preview).toMatchObject({ uid, documentId: id() });
  });

  it('has no preview for other types, unknown documents, or an admin who may not read the catalog', async () => {
    const category: any = await app.strapi.documents('api::category.category').findFirst({});
    expect((await previewUrlOf('api::category.category', category.documentId)).status).toBe(204);
    expect((await previewUrlOf(LESSON_UID, 'nosuchdocument0000000000')).status).toBe(204);

    // An admin whose role grants nothing on the catalog gets no URL (the handler checks the caller's abilities).
    const role = await app.strapi.service('admin::role').create({ name: `No catalog ${Date.now()}`, description: 'reads nothing' });
    await app.strapi.service('admin::user').create({ email: 'nocatalog@test.skillyug.local', firstname: 'No', lastname: 'Catalog', password: 'Nothing@Here1', roles: [role.id], isActive: true });
    const outsider = await adminAuth(app, { email: 'nocatalog@test.skillyug.local' });
    expect((await previewUrlOf(LESSON_UID, draft.lesson, outsider.auth)).status).toBe(204);

    // Without an admin session there is no handler call at all.
    expect((await app.http.get(`/content-manager/preview/url/${LESSON_UID}`).query({ documentId: draft.lesson })).status).toBe(401);
  });
});

describe('GET /api/previews/course', () => {
  it('answers the draft course in the published detail’s shape, modules and lessons in order, with every lesson’s content, never cached', async () => {
    const { body: urlBody } = await previewUrlOf(LESSON_UID, unpublishedLesson.documentId);
    const res = await fetchPreview(tokenIn(urlBody.data.url));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const course = res.body.data;
    expect(course).toMatchObject({ documentId: published.course, slug: PUBLISHED_COURSE, publishedAt: null, currency: 'INR', level: expect.any(String) });
    expect(course.category).toEqual({ name: expect.any(String), slug: expect.any(String) });
    expect(course.instructors[0]).toMatchObject({ name: expect.any(String), slug: expect.any(String) });
    expect(Array.isArray(course.description)).toBe(true);

    const orders = course.modules.map((m: any) => m.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    for (const module of course.modules) {
      const lessonOrders = module.lessons.map((l: any) => l.order);
      expect(lessonOrders).toEqual([...lessonOrders].sort((a, b) => a - b));
      for (const lesson of module.lessons) {
        expect(Object.keys(lesson).sort()).toEqual(['body', 'documentId', 'duration', 'isPreview', 'order', 'recording', 'slug', 'title', 'type', 'video']);
        expect(lesson).not.toHaveProperty('locked');
      }
    }
    // The unpublished lesson is there, last of its module, with its body; the module's locked lessons are open too.
    const lessons = course.modules.flatMap((m: any) => m.lessons);
    const added = lessons.find((l: any) => l.documentId === unpublishedLesson.documentId);
    expect(added).toMatchObject({ title: unpublishedLesson.title, order: 99 });
    expect(JSON.stringify(added.body)).toContain(unpublishedLesson.secret);
    expect(course.modules.find((m: any) => m.documentId === published.module).lessons.at(-1).documentId).toBe(unpublishedLesson.documentId);
    expect(lessons.every((l: any) => Array.isArray(l.body))).toBe(true);

    // Videos come with a signed link that the upload guard accepts.
    const video = lessons.find((l: any) => l.video)?.video;
    expect(video).toMatchObject({ mime: 'video/mp4' });
    expect(video.url).toMatch(/^\/uploads\/[^?]+\.mp4\?exp=\d+&sig=/);
    expect((await app.http.head(video.url)).status).toBe(200);
    expect((await app.http.head(video.url.split('?')[0])).status).toBe(403);

    // Who asked for what, and until when (10 minutes).
    const meta = res.body.meta.preview;
    expect(meta).toMatchObject({ uid: LESSON_UID, documentId: unpublishedLesson.documentId });
    const left = (Date.parse(meta.expiresAt) - Date.now()) / 1000;
    expect(left).toBeGreaterThan(PREVIEW_TOKEN_TTL_SECONDS - 60);
    expect(left).toBeLessThanOrEqual(PREVIEW_TOKEN_TTL_SECONDS);
  });

  it('answers the never-published course with its draft-only modules and lessons', async () => {
    const { body } = await previewUrlOf(COURSE_UID, draft.course);
    const res = await fetchPreview(tokenIn(body.data.url));
    expect(res.status).toBe(200);
    expect(res.body.data.slug).toBe(DRAFT_COURSE);
    expect(res.body.data.modules.flatMap((m: any) => m.lessons).map((l: any) => l.title)).toContain(draft.lessonTitle);
  });

  describe('refuses without a valid token: 401, nothing of the draft, never cached', () => {
    const env = () => loadEnv('cms');
    const subject = () => ({ uid: COURSE_UID as typeof COURSE_UID, documentId: draft.course, courseDocumentId: draft.course });
    const cases: [string, () => string | undefined, string][] = [
      ['no token', () => undefined, 'missing'],
      ['an empty token', () => '', 'missing'],
      ['a token whose payload was changed to another course', () => {
        const [version, payload, signature] = signPreviewToken(env(), subject()).token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        claims.courseDocumentId = published.course;
        return [version, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
      }, 'invalid'],
      ['a token with a changed signature', () => {
        const token = signPreviewToken(env(), subject()).token;
        return `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
      }, 'invalid'],
      ['an expired token', () => signPreviewToken(env(), subject(), Date.now() - (PREVIEW_TOKEN_TTL_SECONDS + 1) * 1000).token, 'expired'],
      ['a token for another type', () => {
        const exp = Math.floor(Date.now() / 1000) + 60;
        return signToken(derivedSecret(env(), 'skillyug preview'), 'preview', { uid: 'api::category.category', documentId: draft.course, courseDocumentId: draft.course, exp });
      }, 'invalid'],
      ['a token signed for another purpose (a playback token)', () => {
        const exp = Math.floor(Date.now() / 1000) + 60;
        return signToken(derivedSecret(env(), 'playback'), 'playback', { ...subject(), exp });
      }, 'invalid'],
      ['garbage', () => 'v1.not-a-token.at-all', 'invalid'],
    ];
    it.each(cases)('%s', async (_label, token, reason) => {
      const res = await fetchPreview(token());
      expect(res.status).toBe(401);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.data).toBeNull();
      expect(res.body.error).toMatchObject({ name: 'UnauthorizedError', details: { reason } });
      expect(JSON.stringify(res.body)).not.toContain(DRAFT_COURSE);
    });
  });

  it('takes only a token (strict query): anything else is a 400', async () => {
    const { token } = signPreviewToken(loadEnv('cms'), { uid: COURSE_UID, documentId: draft.course, courseDocumentId: draft.course });
    const extra = await app.http.get('/api/previews/course').query({ token, populate: '*' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/populate/);
    // The content-API guard's draft refusal comes first, here too.
    expect((await app.http.get('/api/previews/course').query({ token, status: 'draft' })).status).toBe(400);
    const twice = await app.http.get(`/api/previews/course?token=${token}&token=${token}`);
    expect(twice.status).toBe(400);
  });

  it('is documented in the OpenAPI document as authenticated by its own token', async () => {
    const res = await app.http.get('/api/openapi.json');
    expect(res.body.paths['/api/previews/course'].get.security).toEqual([{ previewToken: [] }]);
  });
});

describe('the public API still serves published content only', () => {
  it('hides the draft course, its lessons and the unpublished lesson from everyone', async () => {
    const student = await signInNewStudent(app, 'preview-student');
    for (const auth of [{}, student.auth]) {
      const courses = await app.http.get('/api/courses').query({ 'filters[slug][$eq]': DRAFT_COURSE }).set(auth);
      expect(courses.status).toBe(200);
      expect(courses.body.data).toEqual([]);
      for (const documentId of [draft.lesson, unpublishedLesson.documentId]) {
        const one = await app.http.get(`/api/lessons/${documentId}`).set(auth);
        expect(one.status).toBe(404);
      }
      const syllabus = await app.http
        .get('/api/courses')
        .query({ 'filters[slug][$eq]': PUBLISHED_COURSE, 'populate[modules][populate][lessons][fields][0]': 'title' })
        .set(auth);
      expect(syllabus.status).toBe(200);
      expect(JSON.stringify(syllabus.body)).not.toContain(unpublishedLesson.title);
    }
  });

  it('refuses status=draft (and the other draft switches) for visitors, students and admins alike', async () => {
    const student = await signInNewStudent(app, 'preview-draft-probe');
    const admin = await superAdmin(app);
    for (const auth of [{}, student.auth, admin.auth, editor.auth]) {
      for (const query of ['status=draft', 'publicationFilter=never-published-document', 'hasPublishedVersion=false']) {
        for (const path of ['/api/courses', '/api/lessons', '/api/modules']) {
          const res = await app.http.get(`${path}?${query}`).set(auth);
          expect({ path, query, status: res.status }).toEqual({ path, query, status: 400 });
          expect(res.body.error.message).toMatch(/Drafts are not available/);
        }
      }
    }
  });
});
