/**
 * Lesson videos are not public files: /uploads/<video> answers only a signed, unexpired link, which
 * the API hands to those who may watch (enrolled students, anyone for a preview, admins and mentors
 * in the panel). Course covers and other images stay public.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadEnv, resetEnvCache } from '@skillyug/config';
import { startStrapi, signInNewStudent, type TestApp } from './helpers/strapi';
import { superAdmin } from './helpers/payments';
import { fileSigningSecret, signUploadUrl, VIDEO_LINK_EXPIRED, VIDEO_LINK_INVALID, VIDEO_LINK_MISSING } from '../src/middlewares/protected-uploads';
import { PUBLIC_CACHE_HOLD_SECONDS } from '../src/access/lesson-access';
import { startS3Server, type TestS3Server } from '../../src-plugins/live/server/src/recordings/storage/__tests__/s3-server';

let app: TestApp;

/** The query the site's learn page sends (site/src/lib/api.ts getLesson). */
const LESSON_QUERY =
  'populate[video][fields][0]=url&populate[video][fields][1]=mime&populate[video][fields][2]=width&populate[video][fields][3]=height&populate[module][fields][0]=title';

type VideoLesson = { documentId: string; slug: string; courseDocumentId: string; videoUrl: string; size: number };

/** A published video lesson of a paid course, preview or not, with its stored file. */
async function videoLesson(isPreview: boolean): Promise<VideoLesson> {
  const lessons = (await app.strapi.documents('api::lesson.lesson' as any).findMany({
    status: 'published',
    filters: { type: 'video', isPreview, module: { course: { isFree: false } } },
    fields: ['slug'],
    populate: { video: { fields: ['url', 'size'] }, module: { populate: { course: { fields: ['documentId'] } } } },
    sort: 'slug:asc',
    limit: 1,
  } as any)) as any[];
  const lesson = lessons[0];
  if (!lesson?.video) throw new Error(`the demo seed has no ${isPreview ? 'preview' : 'locked'} video lesson in a paid course`);
  const file = path.join(app.strapi.dirs.static.public, lesson.video.url);
  return { documentId: lesson.documentId, slug: lesson.slug, courseDocumentId: lesson.module.course.documentId, videoUrl: lesson.video.url, size: fs.statSync(file).size };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const ttl = () => loadEnv('cms').SIGNED_URL_TTL_SECONDS;
const expOf = (url: string) => Number(new URL(url, 'http://cms.test').searchParams.get('exp'));
const withSignature = (url: string, sig: string) => {
  const parsed = new URL(url, 'http://cms.test');
  parsed.searchParams.set('sig', sig);
  return `${parsed.pathname}${parsed.search}`;
};

async function enrolledStudentOf(courseDocumentId: string) {
  const student = await signInNewStudent(app, 'video-enrolled');
  await app.strapi.service('api::enrollment.enrollment').grant(student.id, courseDocumentId, 'admin');
  return student;
}

describe('on disk (UPLOAD_PROVIDER=local)', () => {
  beforeAll(async () => {
    app = await startStrapi();
  });
  afterAll(async () => {
    await app?.stop();
  });

  describe('a locked lesson’s video', () => {
    let lesson: VideoLesson;
    let signedUrl: string;
    beforeAll(async () => {
      lesson = await videoLesson(false);
      const student = await enrolledStudentOf(lesson.courseDocumentId);
      const res = await app.http.get(`/api/lessons/${lesson.documentId}`).query(LESSON_QUERY).set(student.auth);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      signedUrl = res.body.data.video.url;
    });

    it('comes to an enrolled student as a link signed for that file, valid for SIGNED_URL_TTL_SECONDS', async () => {
      const parsed = new URL(signedUrl, 'http://cms.test');
      expect(parsed.pathname).toBe(lesson.videoUrl);
      expect(parsed.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const secondsLeft = expOf(signedUrl) - nowSeconds();
      // At least the TTL, at most a minute more (expiries are rounded up to the minute).
      expect(secondsLeft).toBeGreaterThanOrEqual(ttl() - 2);
      expect(secondsLeft).toBeLessThanOrEqual(ttl() + 60);
    });

    it('serves the bytes through the signed link: whole, a range, and HEAD', async () => {
      const whole = await app.http.get(signedUrl).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(whole.status).toBe(200);
      expect(whole.headers['content-type']).toBe('video/mp4');
      expect((whole.body as Buffer).equals(fs.readFileSync(path.join(app.strapi.dirs.static.public, lesson.videoUrl)))).toBe(true);
      const cacheControl = /^private, max-age=(\d+)$/.exec(whole.headers['cache-control']);
      expect(cacheControl).not.toBeNull();
      expect(Number(cacheControl![1])).toBeLessThanOrEqual(expOf(signedUrl) - nowSeconds() + 1);

      const range = await app.http.get(signedUrl).set('Range', 'bytes=100-1123');
      expect(range.status).toBe(206);
      expect(range.headers['content-range']).toBe(`bytes 100-1123/${lesson.size}`);
      expect(Number(range.headers['content-length'])).toBe(1024);

      const head = await app.http.head(signedUrl);
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBe(lesson.size);
    });

    it('is refused without a link, with a tampered one, an expired one, or another file’s', async () => {
      const bare = await app.http.get(lesson.videoUrl);
      expect(bare.status).toBe(403);
      expect(bare.body.error.message).toBe(VIDEO_LINK_MISSING);
      expect(bare.headers['cache-control']).toBe('no-store');
      expect((await app.http.get(lesson.videoUrl).set('Range', 'bytes=0-99')).status).toBe(403);
      expect((await app.http.head(lesson.videoUrl)).status).toBe(403);

      const sig = new URL(signedUrl, 'http://cms.test').searchParams.get('sig')!;
      const tampered = await app.http.get(withSignature(signedUrl, `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`));
      expect(tampered.status).toBe(403);
      expect(tampered.body.error.message).toBe(VIDEO_LINK_INVALID);

      // Signed by the very function the API signs with, only already expired.
      const secret = fileSigningSecret(loadEnv('cms'));
      const expired = await app.http.get(signUploadUrl(lesson.videoUrl, secret, nowSeconds() - 1)).set('Range', 'bytes=0-99');
      expect(expired.status).toBe(403);
      expect(expired.body.error.message).toBe(VIDEO_LINK_EXPIRED);

      // Another video's valid link doesn't open this one.
      const preview = await videoLesson(true);
      expect(preview.videoUrl).not.toBe(lesson.videoUrl);
      const otherQuery = new URL(signUploadUrl(preview.videoUrl, secret, nowSeconds() + 600), 'http://cms.test').search;
      const borrowed = await app.http.get(`${lesson.videoUrl}${otherQuery}`);
      expect(borrowed.status).toBe(403);
      expect(borrowed.body.error.message).toBe(VIDEO_LINK_INVALID);

      // Nor does spelling the path differently skip the check.
      expect((await app.http.get(lesson.videoUrl.replace('/uploads/', '/%75ploads/'))).status).toBe(403);
    });

    it('is not given to a student who is not enrolled, nor to a visitor, nor through a cached answer', async () => {
      const stranger = await signInNewStudent(app, 'video-stranger');
      const theirs = await app.http.get(`/api/lessons/${lesson.documentId}`).query(LESSON_QUERY).set(stranger.auth);
      expect(theirs.status).toBe(200);
      expect(theirs.body.data.locked).toBe(true);
      expect(theirs.body.data).not.toHaveProperty('video');

      // The enrolled student asked the same URL first (beforeAll): their answer was not kept for visitors.
      for (let i = 0; i < 2; i++) {
        const visitor = await app.http.get(`/api/lessons/${lesson.documentId}`).query(LESSON_QUERY);
        expect(visitor.status).toBe(200);
        expect(visitor.body.data.locked).toBe(true);
        expect(JSON.stringify(visitor.body)).not.toContain(path.basename(lesson.videoUrl));
      }
    });
  });

  describe('a preview lesson’s video', () => {
    it('is signed for visitors too, long enough to outlive the public caches of the answer', async () => {
      const preview = await videoLesson(true);
      const res = await app.http.get(`/api/lessons/${preview.documentId}`).query(LESSON_QUERY);
      expect(res.status).toBe(200);
      const url: string = res.body.data.video.url;
      expect(new URL(url, 'http://cms.test').pathname).toBe(preview.videoUrl);

      // The answer is public: whoever gets it from a cache last still has the whole TTL.
      const cacheControl: string = res.headers['cache-control'];
      expect(cacheControl).toMatch(/^public,/);
      const seconds = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(cacheControl)?.[1] ?? 0);
      expect(PUBLIC_CACHE_HOLD_SECONDS).toBeGreaterThanOrEqual(Math.max(seconds('max-age'), seconds('s-maxage')) + seconds('stale-while-revalidate'));
      expect(expOf(url) - nowSeconds()).toBeGreaterThanOrEqual(ttl() + PUBLIC_CACHE_HOLD_SECONDS - 2);

      // One minute's visitors share the link, so the cached answer and its ETag stay the same.
      const again = await app.http.get(`/api/lessons/${preview.documentId}`).query(LESSON_QUERY).set('If-None-Match', res.headers.etag);
      expect(again.status).toBe(304);

      expect((await app.http.get(url).set('Range', 'bytes=0-1023')).status).toBe(206);
      expect((await app.http.get(preview.videoUrl)).status).toBe(403);
    });
  });

  describe('images', () => {
    it('stay public: a course cover and its smaller formats need no link', async () => {
      const res = await app.http.get('/api/courses').query('populate[cover][fields][0]=url&populate[cover][fields][1]=formats&pagination[pageSize]=1');
      const cover = res.body.data[0].cover;
      expect(cover.url).toMatch(/^\/uploads\/[^?]+$/);
      const image = await app.http.get(cover.url);
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toMatch(/^image\//);
      expect(image.headers['cache-control']).not.toMatch(/private/);
      for (const format of Object.values(cover.formats ?? {}) as { url: string }[]) {
        expect(format.url).not.toContain('?');
        expect((await app.http.get(format.url)).status).toBe(200);
      }
    });
  });

  describe('the admin panel', () => {
    it('lists lesson videos with signed links that play, and images as they are', async () => {
      const admin = await superAdmin(app);
      const res = await app.http.get('/upload/files').query('pageSize=100').set(admin.auth);
      expect(res.status).toBe(200);
      const files: { mime: string; url: string }[] = res.body.results;
      const videos = files.filter((file) => file.mime.startsWith('video/'));
      const images = files.filter((file) => file.mime.startsWith('image/'));
      expect(videos.length).toBeGreaterThan(0);
      expect(images.length).toBeGreaterThan(0);
      for (const video of videos) expect(expOf(video.url) - nowSeconds()).toBeGreaterThanOrEqual(ttl() - 2);
      for (const image of images) expect(image.url).not.toContain('?');
      expect((await app.http.get(videos[0].url).set('Range', 'bytes=0-1023')).status).toBe(206);
    });
  });
});

describe('in S3 (UPLOAD_PROVIDER=s3)', () => {
  const BUCKET = 'skillyug-media';
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    // The disk app above read its configuration once; this one reads its own.
    resetEnvCache();
    app = await startStrapi({
      UPLOAD_PROVIDER: 's3',
      S3_BUCKET: BUCKET,
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await s3?.stop();
    resetEnvCache();
  });

  it('gives an enrolled student a presigned URL to the video’s object, and a visitor none', async () => {
    const [row] = (await app.strapi.documents('api::lesson.lesson' as any).findMany({
      status: 'published',
      filters: { type: 'video', isPreview: false, module: { course: { isFree: false } } },
      fields: ['slug'],
      populate: { video: { fields: ['url', 'hash', 'ext'] }, module: { populate: { course: { fields: ['documentId'] } } } },
      sort: 'slug:asc',
      limit: 1,
    } as any)) as any[];
    const objectUrl = `${s3.endpoint}/${BUCKET}/uploads/${row.video.hash}${row.video.ext}`;
    expect(row.video.url).toBe(objectUrl);

    const student = await enrolledStudentOf(row.module.course.documentId);
    const res = await app.http.get(`/api/lessons/${row.documentId}`).query(LESSON_QUERY).set(student.auth);
    expect(res.status).toBe(200);
    const signed = new URL(res.body.data.video.url);
    expect(`${signed.origin}${signed.pathname}`).toBe(objectUrl);
    expect(signed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const lifetime = Number(signed.searchParams.get('X-Amz-Expires'));
    expect(lifetime).toBeGreaterThanOrEqual(ttl() - 2);
    expect(lifetime).toBeLessThanOrEqual(ttl() + 60);
    // The object answers the presigned GET (this S3 server doesn't check signatures: the URL's form is checked above).
    const object = await fetch(signed, { headers: { Range: 'bytes=0-1023' } });
    expect(object.status).toBe(206);
    expect((await object.arrayBuffer()).byteLength).toBe(1024);

    const visitor = await app.http.get(`/api/lessons/${row.documentId}`).query(LESSON_QUERY);
    expect(visitor.body.data.locked).toBe(true);
    expect(JSON.stringify(visitor.body)).not.toContain(row.video.hash);
  });
});
