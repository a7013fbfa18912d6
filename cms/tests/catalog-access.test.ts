import { startStrapi, signInNewStudent, demoCourse, type TestApp } from './helpers/strapi';
import { waitFor } from './helpers/wait';

let app: TestApp;
beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

const lessonsOf = (courses: any[]) => courses.flatMap((c) => c.modules ?? []).flatMap((m: any) => m.lessons ?? []);

describe('the public catalog', () => {
  it('lists published courses with category and syllabus titles, but no locked lesson content', async () => {
    const res = await app.http
      .get('/api/courses')
      .query('populate[category]=true&populate[modules][populate][lessons]=true&pagination[pageSize]=100');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThanOrEqual(8);
    for (const course of res.body.data) {
      expect(course.category?.name).toEqual(expect.any(String));
      expect(course.modules.length).toBeGreaterThan(0);
    }
    const lessons = lessonsOf(res.body.data);
    const locked = lessons.filter((l: any) => !l.isPreview);
    const previews = lessons.filter((l: any) => l.isPreview);
    expect(locked.length).toBeGreaterThan(0);
    expect(previews.length).toBeGreaterThan(0);
    for (const lesson of locked) {
      expect(lesson.title).toEqual(expect.any(String));
      expect(lesson).not.toHaveProperty('body');
      expect(lesson).not.toHaveProperty('video');
      expect(lesson.locked).toBe(true);
    }
    // Preview lessons are readable by anyone.
    expect(previews.some((l: any) => Array.isArray(l.body) && l.body.length > 0)).toBe(true);
  });

  it.each([
    ['/api/lessons', 'populate=*&pagination[pageSize]=100'],
    ['/api/lessons', 'fields[0]=body&fields[1]=title&pagination[pageSize]=100'],
    ['/api/lessons', 'populate[video]=true&populate[module][populate][course]=true&pagination[pageSize]=100'],
    ['/api/modules', 'populate[lessons][fields][0]=body&populate[lessons][populate][video]=true&pagination[pageSize]=100'],
    ['/api/modules', 'populate[lessons][populate]=*&pagination[pageSize]=100'],
    ['/api/courses', 'populate[modules][populate][lessons][populate]=*&pagination[pageSize]=100'],
    ['/api/courses', 'populate[modules][populate][lessons][fields][0]=body&populate[category]=true&pagination[pageSize]=100'],
  ])('never shows a locked lesson body or video through %s?%s', async (path, query) => {
    const res = await app.http.get(path).query(query);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    const { paidLesson } = await demoCourse(app, 'paid');
    const full = await app.strapi.documents('api::lesson.lesson').findOne({ documentId: paidLesson.documentId, status: 'published' });
    const secretText = (full as any).body[0].children[0].text as string;
    expect(secretText.length).toBeGreaterThan(10);
    expect(text).not.toContain(secretText);
  });

  it('gives a single locked lesson without its body', async () => {
    const { paidLesson, previewLesson } = await demoCourse(app, 'paid');
    const locked = await app.http.get(`/api/lessons/${paidLesson.documentId}`).query('populate=*');
    expect(locked.status).toBe(200);
    expect(locked.body.data.title).toBe(paidLesson.title);
    expect(locked.body.data).not.toHaveProperty('body');
    const preview = await app.http.get(`/api/lessons/${previewLesson.documentId}`);
    expect(preview.body.data.body.length).toBeGreaterThan(0);
  });

  it('refuses to filter or sort on protected lesson fields', async () => {
    for (const query of [
      'filters[body][$containsi]=a',
      'filters[$or][0][body][$null]=false',
      'sort=body:asc',
      'sort[0]=video',
    ]) {
      const res = await app.http.get('/api/lessons').query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/protected lesson fields/);
    }
    const nested = await app.http
      .get('/api/courses')
      .query('populate[modules][populate][lessons][filters][body][$containsi]=the');
    expect(nested.status).toBe(400);
  });

  it('keeps drafts invisible', async () => {
    const drafts = await app.strapi.db.query('api::course.course').findMany({ where: { publishedAt: null } });
    const published = await app.strapi.db.query('api::course.course').findMany({ where: { publishedAt: { $notNull: true } } });
    const draftOnly = drafts.filter((d: any) => !published.some((p: any) => p.documentId === d.documentId));
    expect(draftOnly.length).toBeGreaterThan(0);

    const list = await app.http.get('/api/courses').query('pagination[pageSize]=100');
    const slugs = list.body.data.map((c: any) => c.slug);
    for (const draft of draftOnly) {
      expect(slugs).not.toContain(draft.slug);
      expect((await app.http.get(`/api/courses/${draft.documentId}`)).status).toBe(404);
    }
    const asDraft = await app.http.get('/api/courses').query('status=draft');
    expect(asDraft.status).toBe(400);
    expect(asDraft.body.error.message).toMatch(/Drafts are not available/);
  });

  it('has no route for writing the catalog', async () => {
    const res = await app.http.post('/api/courses').send({ data: { title: 'Hacked', slug: 'hacked' } });
    expect([403, 404, 405]).toContain(res.status);
    expect(await app.strapi.db.query('api::course.course').count({ where: { slug: 'hacked' } })).toBe(0);
  });
});

describe('students and locked lessons', () => {
  it('gives sign-ups the student role', async () => {
    const email = `signup-${Date.now()}@test.skillyug.local`;
    const res = await app.http
      .post('/api/auth/local/register')
      .send({ email, password: 'Test@Password1', displayName: 'New Student' });
    expect(res.status).toBe(200);
    // The account is created after the answer (so its timing can't tell a new email from a known one).
    const findUser = () => app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { email }, populate: ['role'] });
    const user = await waitFor(findUser, 10_000, 'the account');
    expect(user.role.type).toBe('student');
  });

  it('shows a paid lesson body only once the student is enrolled', async () => {
    const student = await signInNewStudent(app);
    const { course, paidLesson } = await demoCourse(app, 'paid');
    const before = await app.http.get(`/api/lessons/${paidLesson.documentId}`).set(student.auth);
    expect(before.status).toBe(200);
    expect(before.body.data).not.toHaveProperty('body');

    await app.strapi.service('api::enrollment.enrollment').grant(student.id, course.documentId, 'admin');

    const after = await app.http.get(`/api/lessons/${paidLesson.documentId}`).set(student.auth);
    expect(after.body.data.body.length).toBeGreaterThan(0);
    const viaCourse = await app.http
      .get(`/api/courses/${course.documentId}`)
      .set(student.auth)
      .query('populate[modules][populate][lessons][fields][0]=body');
    const lessons = viaCourse.body.data.modules.flatMap((m: any) => m.lessons);
    expect(lessons.every((l: any) => Array.isArray(l.body))).toBe(true);

    // A refund takes access away again.
    await app.strapi.service('api::enrollment.enrollment').revoke(student.id, course.documentId, 'refunded');
    const refunded = await app.http.get(`/api/lessons/${paidLesson.documentId}`).set(student.auth);
    expect(refunded.body.data).not.toHaveProperty('body');
  });

  it('does not let an enrollment in one course open another course', async () => {
    const student = await signInNewStudent(app);
    const { course: free } = await demoCourse(app, 'free');
    const { paidLesson } = await demoCourse(app, 'paid');
    await app.http.post(`/api/courses/${free.documentId}/enroll`).set(student.auth).expect(201);
    const res = await app.http.get(`/api/lessons/${paidLesson.documentId}`).set(student.auth);
    expect(res.body.data).not.toHaveProperty('body');
  });
});
