import { startStrapi, signInNewStudent, demoCourse, type TestApp } from './helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

const COURSES = '/api/courses?populate[category][fields][0]=name&populate[cover][fields][0]=url&sort[0]=title:asc&pagination[pageSize]=50';
const COURSE_UID = 'api::course.course';

describe('public catalog reads', () => {
  it('are cacheable by browsers and CDNs, with validators', async () => {
    for (const url of [COURSES, '/api/categories', '/api/courses?filters[slug][$eq]=react-for-beginners&populate=*', '/api/lessons?populate=module']) {
      const res = await app.http.get(url);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=30, s-maxage=60, stale-while-revalidate=300');
      expect(res.headers.etag).toMatch(/^"[\w-]{20,}"$/);
      // Only the content-derived ETag: a per-process Last-Modified would let another process answer 304 to a changed catalog.
      expect(res.headers['last-modified']).toBeUndefined();
      expect(res.headers.vary).toMatch(/Authorization/);
      expect(res.body.data.length).toBeGreaterThan(0);
    }
  });

  it('answer 304 when the client already has the current version', async () => {
    const first = await app.http.get(COURSES);
    const byEtag = await app.http.get(COURSES).set('If-None-Match', first.headers.etag);
    expect(byEtag.status).toBe(304);
    expect(byEtag.text ?? '').toBe('');
    expect(byEtag.headers.etag).toBe(first.headers.etag);
    const byDate = await app.http.get(COURSES).set('If-Modified-Since', new Date(Date.now() + 60_000).toUTCString());
    expect(byDate.status).toBe(200);
    const stale = await app.http.get(COURSES).set('If-None-Match', '"something-else"');
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual(first.body);
  });

  it('change ETag as soon as an editor publishes, updates or unpublishes', async () => {
    const before = await app.http.get(COURSES);
    const { course } = await demoCourse(app, 'paid');
    const courses = app.strapi.documents(COURSE_UID);

    // A saved draft changes nothing visitors see.
    await courses.update({ documentId: course.documentId, data: { title: 'Draft-only title' } } as any);
    const afterDraft = await app.http.get(COURSES).set('If-None-Match', before.headers.etag);
    expect(afterDraft.status).toBe(304);

    await courses.publish({ documentId: course.documentId } as any);
    const published = await app.http.get(COURSES).set('If-None-Match', before.headers.etag);
    expect(published.status).toBe(200);
    expect(published.headers.etag).not.toBe(before.headers.etag);
    expect(published.body.data.map((c: any) => c.title)).toContain('Draft-only title');

    await courses.unpublish({ documentId: course.documentId } as any);
    const unpublished = await app.http.get(COURSES).set('If-None-Match', published.headers.etag);
    expect(unpublished.status).toBe(200);
    expect(unpublished.body.data.map((c: any) => c.documentId)).not.toContain(course.documentId);
    expect((await app.http.get(`/api/courses/${course.documentId}`)).status).toBe(404);

    // Its modules and lessons went with it (cms/src/catalog/course-cascade.ts): all of it comes back together.
    await courses.publish({ documentId: course.documentId } as any);
    for (const module of course.modules) {
      await app.strapi.documents('api::module.module').publish({ documentId: module.documentId } as any);
      for (const lesson of module.lessons) await app.strapi.documents('api::lesson.lesson').publish({ documentId: lesson.documentId } as any);
    }
    const back = await app.http.get(`/api/courses/${course.documentId}`).query('populate[modules][populate][lessons][fields][0]=title');
    expect(back.status).toBe(200);
    expect(back.body.data.modules.flatMap((m: any) => m.lessons)).toHaveLength(course.modules.flatMap((m: any) => m.lessons).length);
  });

  it('are never shared with signed-in requests, which are private', async () => {
    const student = await signInNewStudent(app, 'cache');
    const { course, paidLesson } = await demoCourse(app, 'paid');
    await app.strapi.service('api::enrollment.enrollment').grant(student.id, course.documentId, 'admin');
    const url = `/api/lessons/${paidLesson.documentId}`;

    const anonymous = await app.http.get(url);
    expect(anonymous.body.data).not.toHaveProperty('body');
    const signedIn = await app.http.get(url).set(student.auth).set('If-None-Match', anonymous.headers.etag);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers['cache-control']).toBe('private, no-store');
    expect(signedIn.headers.etag).toBeUndefined();
    expect(signedIn.body.data.body.length).toBeGreaterThan(0);
    // …and what the student saw is not served to the next visitor.
    const again = await app.http.get(url);
    expect(again.body.data).not.toHaveProperty('body');
  });

  it('leave errors and other routes alone', async () => {
    const bad = await app.http.get('/api/courses?filters[price][$eq]=abc');
    expect(bad.status).toBe(400);
    expect(bad.headers.etag).toBeUndefined();
    const health = await app.http.get('/api/live/health');
    expect(health.headers['cache-control'] ?? '').not.toMatch(/public/);
  });
});
