import { startStrapi, signInNewStudent, demoCourse, type TestApp } from './helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

const countEnrollments = (userId: number) =>
  app.strapi.db.query('api::enrollment.enrollment').count({ where: { user: { id: userId } } });

describe('free enrollment', () => {
  it('enrolls once, however often it is asked', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'free');
    const first = await app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth);
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ source: 'free', state: 'active' });
    expect(first.body.data).not.toHaveProperty('userCourseKey');
    const again = await app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth);
    expect(again.status).toBe(200);
    expect(again.body.data.documentId).toBe(first.body.data.documentId);
    expect(await countEnrollments(student.id)).toBe(1);
  });

  it('creates one enrollment when the same request arrives concurrently', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'free');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth))
    );
    expect(responses.map((r) => r.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.body.data.documentId)).size).toBe(1);
    expect(await countEnrollments(student.id)).toBe(1);
  });

  it('refuses a paid course with 402 and says why', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const res = await app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth);
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ status: 402, name: 'PaymentRequiredError' });
    expect(res.body.error.message).toMatch(/paid course/);
    expect(await countEnrollments(student.id)).toBe(0);
  });

  it('needs a signed-in student, an existing course and no body', async () => {
    const { course } = await demoCourse(app, 'free');
    expect([401, 403]).toContain((await app.http.post(`/api/courses/${course.documentId}/enroll`)).status);

    const student = await signInNewStudent(app);
    const missing = await app.http.post('/api/courses/zzzzzzzzzzzzzzzzzzzzzzzz/enroll').set(student.auth);
    expect(missing.status).toBe(404);
    const badId = await app.http.post('/api/courses/..%2F..%2Fetc/enroll').set(student.auth);
    expect(badId.status).toBe(400);
    const extra = await app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth).send({ source: 'admin' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/source/);
    expect(await countEnrollments(student.id)).toBe(0);
  });
});

describe('my enrollments', () => {
  it('cannot be created by POSTing one', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const res = await app.http
      .post('/api/enrollments')
      .set(student.auth)
      .send({ data: { user: student.id, course: course.documentId, source: 'purchase', state: 'active' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await countEnrollments(student.id)).toBe(0);
  });

  it('are visible to their owner only', async () => {
    const alice = await signInNewStudent(app, 'alice');
    const bob = await signInNewStudent(app, 'bob');
    const { course } = await demoCourse(app, 'free');
    const enrolled = await app.http.post(`/api/courses/${course.documentId}/enroll`).set(alice.auth).expect(201);

    const mine = await app.http.get('/api/enrollments').set(alice.auth);
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((e: any) => e.documentId)).toEqual([enrolled.body.data.documentId]);
    expect(mine.body.data[0].course.slug).toBe(course.slug);

    const bobs = await app.http.get('/api/enrollments').set(bob.auth);
    expect(bobs.body.data).toEqual([]);
    const peek = await app.http.get(`/api/enrollments/${enrolled.body.data.documentId}`).set(bob.auth);
    expect(peek.status).toBe(404);
    const own = await app.http.get(`/api/enrollments/${enrolled.body.data.documentId}`).set(alice.auth);
    expect(own.status).toBe(200);

    expect([401, 403]).toContain((await app.http.get('/api/enrollments')).status);
    const filtered = await app.http.get('/api/enrollments').query({ user: bob.id }).set(bob.auth);
    expect(filtered.status).toBe(400);
  });
});
