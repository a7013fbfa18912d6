import { startStrapi, signInNewStudent, demoCourse, type TestApp } from './helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

async function enrolledStudent(label: string) {
  const student = await signInNewStudent(app, label);
  const { course, paidLesson } = await demoCourse(app, 'free');
  await app.http.post(`/api/courses/${course.documentId}/enroll`).set(student.auth).expect(201);
  return { student, course, lesson: paidLesson ?? course.modules[0].lessons[0] };
}

const progressRows = (userId: number) =>
  app.strapi.db.query('api::lesson-progress.lesson-progress').findMany({ where: { user: { id: userId } } });

describe('lesson progress', () => {
  it('saves a position, completes, and stays one row when repeated', async () => {
    const { student, lesson } = await enrolledStudent('progress');
    const saved = await app.http.put(`/api/lesson-progresses/${lesson.documentId}`).set(student.auth).send({ positionSeconds: 42 });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ positionSeconds: 42, completedAt: null });

    const done = await app.http
      .put(`/api/lesson-progresses/${lesson.documentId}`)
      .set(student.auth)
      .send({ positionSeconds: 90, completed: true });
    expect(done.body.data.documentId).toBe(saved.body.data.documentId);
    expect(done.body.data.completedAt).toEqual(expect.any(String));

    // Repeating is harmless, and a later position doesn't un-complete the lesson.
    await Promise.all(
      [1, 2, 3].map(() => app.http.put(`/api/lesson-progresses/${lesson.documentId}`).set(student.auth).send({ positionSeconds: 95 }))
    );
    const rows = await progressRows(student.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].positionSeconds).toBe(95);
    expect(rows[0].completedAt).not.toBeNull();

    const list = await app.http.get('/api/lesson-progresses').set(student.auth);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].lesson.title).toBe(lesson.title);
  });

  it('creates one row when the first saves race', async () => {
    const { student, lesson } = await enrolledStudent('race');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.http.put(`/api/lesson-progresses/${lesson.documentId}`).set(student.auth).send({ positionSeconds: i })
      )
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await progressRows(student.id)).toHaveLength(1);
  });

  it("is private: another student can neither see nor touch it", async () => {
    const alice = await enrolledStudent('alice');
    await app.http.put(`/api/lesson-progresses/${alice.lesson.documentId}`).set(alice.student.auth).send({ positionSeconds: 10 }).expect(200);
    const bob = await signInNewStudent(app, 'bob');

    const bobsList = await app.http.get('/api/lesson-progresses').set(bob.auth);
    expect(bobsList.body.data).toEqual([]);
    // Bob isn't enrolled, so he can't record progress on the lesson at all.
    const bobWrite = await app.http.put(`/api/lesson-progresses/${alice.lesson.documentId}`).set(bob.auth).send({ positionSeconds: 999 });
    expect(bobWrite.status).toBe(403);
    expect(bobWrite.body.error.message).toMatch(/Enroll/);
    const [aliceRow] = await progressRows(alice.student.id);
    expect(aliceRow.positionSeconds).toBe(10);
    expect(await progressRows(bob.id)).toHaveLength(0);
    expect([401, 403]).toContain((await app.http.get('/api/lesson-progresses')).status);
  });

  it.each([
    [{ positionSeconds: -5 }, /positionSeconds/],
    [{ positionSeconds: '12' }, /positionSeconds/],
    [{ positionSeconds: 1.5 }, /whole seconds/],
    [{ positionSeconds: 10, user: 1 }, /user/],
    [{ completed: 'yes' }, /completed/],
    [{}, /positionSeconds, completed/],
    [{ positionSeconds: 'x'.repeat(100_000) }, /positionSeconds/], // a huge string
  ])('refuses bad body #%# with a 400 and writes nothing', async (body, message) => {
    const { student, lesson } = await enrolledStudent('bad');
    const res = await app.http.put(`/api/lesson-progresses/${lesson.documentId}`).set(student.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await progressRows(student.id)).toHaveLength(0);
  });

  it('refuses oversized bodies and unknown lessons', async () => {
    const { student, lesson } = await enrolledStudent('big');
    const huge = await app.http
      .put(`/api/lesson-progresses/${lesson.documentId}`)
      .set(student.auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ positionSeconds: 1, pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    const unknown = await app.http.put('/api/lesson-progresses/zzzzzzzzzzzzzzzzzzzzzzzz').set(student.auth).send({ positionSeconds: 1 });
    expect(unknown.status).toBe(404);
    expect(await progressRows(student.id)).toHaveLength(0);
  });
});
