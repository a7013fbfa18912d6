import path from 'node:path';
import { startStrapi, signInNewStudent, demoCourse, type TestApp } from './helpers/strapi';
import { superAdmin } from './helpers/payments';

let app: TestApp;
beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

const ENROLLMENT_UID = 'api::enrollment.enrollment';
const MIGRATION = path.resolve(__dirname, '..', 'database', 'migrations', '2026.12.01T00.00.00.enrollment-state.js');

const enrollments = () => app.strapi.service(ENROLLMENT_UID);

describe('an enrollment state', () => {
  it('is its own field, shown as it is by the API and the admin', async () => {
    const student = await signInNewStudent(app, 'state');
    const { course: free } = await demoCourse(app, 'free');
    const { course: paid } = await demoCourse(app, 'paid');
    const enrolled = await app.http.post(`/api/courses/${free.documentId}/enroll`).set(student.auth).expect(201);
    expect(enrolled.body.data.state).toBe('active');
    await enrollments().grant(student.id, paid.documentId, 'admin');
    await enrollments().revoke(student.id, paid.documentId, 'refunded');

    const mine = await app.http.get('/api/enrollments').set(student.auth);
    expect(mine.status).toBe(200);
    const byCourse = Object.fromEntries(mine.body.data.map((e: any) => [e.course.slug, e.state]));
    expect(byCourse).toEqual({ [free.slug]: 'active', [paid.slug]: 'refunded' });

    const refunded = await app.http.get('/api/enrollments?state=refunded').set(student.auth);
    expect(refunded.body.data.map((e: any) => e.course.slug)).toEqual([paid.slug]);
    const viaFilters = await app.http.get('/api/enrollments?filters[state][$eq]=active').set(student.auth);
    expect(viaFilters.body.data.map((e: any) => e.course.slug)).toEqual([free.slug]);
    expect((await app.http.get('/api/enrollments?state=published').set(student.auth)).status).toBe(400);

    // The admin's content manager shows the enrollment's own state.
    const admin = await superAdmin(app);
    const row = await app.strapi.db.query(ENROLLMENT_UID).findOne({ where: { userCourseKey: `${student.id}:${paid.documentId}` } });
    const inAdmin = await app.http.get(`/content-manager/collection-types/${ENROLLMENT_UID}/${row.documentId}`).set(admin.auth);
    expect(inAdmin.status).toBe(200);
    expect(inAdmin.body.data.state).toBe('refunded');
  });
});

describe("Strapi's query parameters on a student's own reads", () => {
  it('work on enrollments: populate, fields, sort, pagination, filters', async () => {
    const student = await signInNewStudent(app, 'params');
    const { course: free } = await demoCourse(app, 'free');
    const { course: paid } = await demoCourse(app, 'paid');
    await app.http.post(`/api/courses/${free.documentId}/enroll`).set(student.auth).expect(201);
    await enrollments().grant(student.id, paid.documentId, 'admin');

    const populated = await app.http
      .get('/api/enrollments')
      .query('populate[course][fields][0]=title&populate[course][populate][category][fields][0]=name&fields[0]=source&sort=source:asc&pagination[page]=1&pagination[pageSize]=1')
      .set(student.auth);
    expect(populated.status).toBe(200);
    expect(populated.body.meta.pagination).toMatchObject({ page: 1, pageSize: 1, total: 2, pageCount: 2 });
    expect(populated.body.data).toHaveLength(1);
    expect(populated.body.data[0]).toMatchObject({ source: 'admin', course: { title: paid.title, category: { name: expect.any(String) } } });
    expect(populated.body.data[0]).not.toHaveProperty('enrolledAt');

    const filtered = await app.http.get(`/api/enrollments?filters[course][slug][$eq]=${free.slug}&populate=course`).set(student.auth);
    expect(filtered.body.data.map((e: any) => e.course.slug)).toEqual([free.slug]);

    const one = await app.http.get(`/api/enrollments/${filtered.body.data[0].documentId}?populate[course][populate][modules]=true`).set(student.auth);
    expect(one.status).toBe(200);
    expect(one.body.data.course.modules.length).toBeGreaterThan(0);

    expect((await app.http.get('/api/enrollments?populate[nonexistent]=*').set(student.auth)).status).toBe(400);
    expect((await app.http.get('/api/enrollments?pagination[pageSize]=-1').set(student.auth)).status).toBe(400);
    expect((await app.http.get('/api/enrollments?filters[enrolledAt][$gt]=soon').set(student.auth)).status).toBe(400);
  });

  it("never reach another student's rows, users' fields or a locked lesson", async () => {
    const alice = await signInNewStudent(app, 'alice');
    const bob = await signInNewStudent(app, 'bob');
    const { course: paid, paidLesson } = await demoCourse(app, 'paid');
    await enrollments().grant(alice.id, paid.documentId, 'purchase');
    await enrollments().grant(bob.id, paid.documentId, 'purchase');
    await enrollments().revoke(bob.id, paid.documentId, 'refunded');

    const bobsOwn = await app.http.get(`/api/enrollments?filters[user][id][$eq]=${alice.id}`).set(bob.auth);
    expect([200, 400]).toContain(bobsOwn.status);
    if (bobsOwn.status === 200) expect(bobsOwn.body.data).toEqual([]);
    const orFilter = await app.http.get(`/api/enrollments?filters[$or][0][user][id][$eq]=${alice.id}&filters[$or][1][source][$eq]=purchase&populate=course`).set(bob.auth);
    const seen = JSON.stringify(orFilter.body);
    expect(seen).not.toContain(alice.email);

    const withUser = await app.http.get('/api/enrollments?populate[user]=*&populate[course][populate][modules][populate][lessons][populate]=*').set(bob.auth);
    const text = JSON.stringify(withUser.body);
    expect(text).not.toContain(bob.email);
    expect(text).not.toContain(alice.email);
    expect(text).not.toContain('userCourseKey');
    // Bob's enrollment was refunded: the course's paid lessons are locked for him, however he populates them.
    const full = await app.strapi.documents('api::lesson.lesson').findOne({ documentId: paidLesson.documentId, status: 'published' });
    const secretText = (full as any).body[0].children[0].text as string;
    expect(text).not.toContain(secretText);
    if (withUser.status === 200) {
      const lessons = withUser.body.data.flatMap((e: any) => e.course?.modules ?? []).flatMap((m: any) => m.lessons ?? []);
      expect(lessons.filter((l: any) => !l.isPreview).every((l: any) => l.locked === true && !('video' in l))).toBe(true);
    }
    // Alice's is active: the same query shows her the lesson.
    const alices = await app.http.get('/api/enrollments?populate[course][populate][modules][populate][lessons][populate]=*').set(alice.auth);
    expect(alices.status).toBe(200);
    expect(JSON.stringify(alices.body)).toContain(secretText);
  });

  it('work on lesson progress, for the student only', async () => {
    const student = await signInNewStudent(app, 'progress-params');
    const other = await signInNewStudent(app, 'progress-other');
    const { course } = await demoCourse(app, 'free');
    const lessons = course.modules.flatMap((m: any) => m.lessons);
    for (const who of [student, other]) await app.http.post(`/api/courses/${course.documentId}/enroll`).set(who.auth).expect(201);
    await app.http.put(`/api/lesson-progresses/${lessons[0].documentId}`).set(student.auth).send({ positionSeconds: 10 }).expect(200);
    await app.http.put(`/api/lesson-progresses/${lessons[1].documentId}`).set(student.auth).send({ completed: true }).expect(200);
    await app.http.put(`/api/lesson-progresses/${lessons[0].documentId}`).set(other.auth).send({ positionSeconds: 99 }).expect(200);

    const page = await app.http
      .get('/api/lesson-progresses?populate[lesson][fields][0]=title&populate[lesson][populate][module][fields][0]=title&sort=positionSeconds:desc&pagination[pageSize]=1&filters[positionSeconds][$gte]=0')
      .set(student.auth);
    expect(page.status).toBe(200);
    expect(page.body.meta.pagination).toMatchObject({ total: 2, pageSize: 1 });
    expect(page.body.data[0]).toMatchObject({ positionSeconds: 10, lesson: { title: lessons[0].title, module: { title: expect.any(String) } } });

    const completed = await app.http.get(`/api/lesson-progresses?filters[completedAt][$notNull]=true&course=${course.documentId}`).set(student.auth);
    expect(completed.body.data.map((p: any) => p.lesson.documentId)).toEqual([lessons[1].documentId]);

    const withUser = await app.http.get('/api/lesson-progresses?populate=*').set(student.auth);
    expect(withUser.status).toBe(200);
    expect(withUser.body.data).toHaveLength(2);
    expect(JSON.stringify(withUser.body)).not.toContain(student.email);
    expect(withUser.body.data.map((p: any) => p.positionSeconds)).not.toContain(99);

    expect((await app.http.get('/api/lesson-progresses?unknown=1').set(student.auth)).status).toBe(400);
    expect((await app.http.get('/api/lesson-progresses?filters[positionSeconds][$eq]=abc').set(student.auth)).status).toBe(400);
  });
});

// Last: it reshapes the enrollments table under the running app.
describe('an older database', () => {
  it('is migrated from the old status column, once, on either engine', async () => {
    const student = await signInNewStudent(app, 'legacy');
    const { course: free } = await demoCourse(app, 'free');
    const { course: paid } = await demoCourse(app, 'paid');
    await enrollments().grant(student.id, free.documentId, 'free');
    await enrollments().grant(student.id, paid.documentId, 'purchase');
    const knex = app.strapi.db.connection;

    // The table as an older release left it: the values in `status`, no `state` column.
    await knex.schema.alterTable('enrollments', (table: any) => table.string('status'));
    await knex('enrollments').where('user_course_key', `${student.id}:${free.documentId}`).update({ status: 'active' });
    await knex('enrollments').where('user_course_key', `${student.id}:${paid.documentId}`).update({ status: 'revoked' });
    await knex.schema.alterTable('enrollments', (table: any) => table.dropColumn('state'));

    const migration = require(MIGRATION);
    await knex.transaction((trx: any) => migration.up(trx));
    await knex.transaction((trx: any) => migration.up(trx)); // a rerun changes nothing

    const states = await knex('enrollments').whereIn('user_course_key', [`${student.id}:${free.documentId}`, `${student.id}:${paid.documentId}`]).select('user_course_key', 'state');
    expect(Object.fromEntries(states.map((r: any) => [r.user_course_key, r.state]))).toEqual({
      [`${student.id}:${free.documentId}`]: 'active',
      [`${student.id}:${paid.documentId}`]: 'revoked',
    });
    const after = await app.http.get('/api/enrollments').set(student.auth);
    expect(after.status).toBe(200);
    expect(Object.fromEntries(after.body.data.map((e: any) => [e.course.slug, e.state]))).toEqual({ [free.slug]: 'active', [paid.slug]: 'revoked' });

    // What the schema sync does next: drop the old column. A fresh or migrated database is left alone.
    await knex.schema.alterTable('enrollments', (table: any) => table.dropColumn('status'));
    await knex.transaction((trx: any) => migration.up(trx));
    expect(await knex.schema.hasColumn('enrollments', 'state')).toBe(true);
  });
});
