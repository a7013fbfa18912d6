import os from 'node:os';
import path from 'node:path';
import { generateSecrets, loadEnv, resetEnvCache } from '@skillyug/config';
import { signFileUrl } from '@skillyug/live/recordings/storage/signing';
import protectedUploads, {
  fileSigningSecret,
  isVideoFile,
  requestedUploadName,
  signedExpiry,
  signUploadUrl,
  signVideoUrlsIn,
  videoUploadLookup,
  VIDEO_LINK_EXPIRED,
  VIDEO_LINK_INVALID,
  VIDEO_LINK_MISSING,
} from '../protected-uploads';

describe('which upload a request path reads', () => {
  it('is the name under /uploads, as koa-static resolves the path', () => {
    expect(requestedUploadName('/uploads/lesson_a1b2.mp4')).toBe('lesson_a1b2.mp4');
    expect(requestedUploadName('/%75ploads/lesson_a1b2.mp4')).toBe('lesson_a1b2.mp4');
    expect(requestedUploadName('/./uploads/lesson_a1b2.mp4')).toBe('lesson_a1b2.mp4');
    expect(requestedUploadName('//uploads//lesson_a1b2.mp4')).toBe('lesson_a1b2.mp4');
    expect(requestedUploadName('/uploads/x/../lesson_a1b2.mp4')).toBe('lesson_a1b2.mp4');
    expect(requestedUploadName('/UPLOADS/lesson_a1b2.mp4')).toBe('lesson_a1b2.mp4');
  });

  it('is none outside /uploads or when the path cannot be decoded', () => {
    expect(requestedUploadName('/api/lessons')).toBeNull();
    expect(requestedUploadName('/uploads/')).toBeNull();
    expect(requestedUploadName('/uploadsx/a.mp4')).toBeNull();
    expect(requestedUploadName('/uploads/%E0%A4%A.mp4')).toBeNull();
  });
});

describe('video files', () => {
  it('are recognised by MIME type or by extension', () => {
    expect(isVideoFile({ mime: 'video/mp4', url: '/uploads/a.bin' })).toBe(true);
    expect(isVideoFile({ mime: 'VIDEO/WEBM' })).toBe(true);
    expect(isVideoFile({ url: '/uploads/a.MOV' })).toBe(true);
    expect(isVideoFile({ url: '/uploads/a.mp4?exp=1&sig=x' })).toBe(true);
    expect(isVideoFile({ mime: 'image/jpeg', url: '/uploads/cover.jpg' })).toBe(false);
    expect(isVideoFile({})).toBe(false);
  });

  it('are looked up by URL once per cache period; names with a video extension never are', async () => {
    let now = 1_000_000;
    const rows: Record<string, string | null> = { '/uploads/clip.bin': 'video/mp4', '/uploads/cover.jpg': 'image/jpeg' };
    const asked: string[] = [];
    const isVideoUpload = videoUploadLookup(
      async (url) => {
        asked.push(url);
        return rows[url] ?? null;
      },
      () => now
    );
    expect(await isVideoUpload('lesson.mp4')).toBe(true);
    expect(await isVideoUpload('clip.bin')).toBe(true);
    expect(await isVideoUpload('cover.jpg')).toBe(false);
    expect(await isVideoUpload('missing.png')).toBe(false);
    expect(await isVideoUpload('cover.jpg')).toBe(false);
    expect(asked).toEqual(['/uploads/clip.bin', '/uploads/cover.jpg', '/uploads/missing.png']);

    // After the cache period the table is asked again (a row that changed is seen).
    rows['/uploads/missing.png'] = 'video/quicktime';
    now += 60_001;
    expect(await isVideoUpload('missing.png')).toBe(true);
    expect(asked).toHaveLength(4);
  });
});

describe('signed upload links', () => {
  const secret = 'a-test-secret-of-enough-length';

  it('expire at least the TTL from now, rounded up to the minute', () => {
    const now = Date.UTC(2026, 0, 1, 10, 0, 30);
    const exp = signedExpiry(900, 0, now);
    expect(exp % 60).toBe(0);
    expect(exp * 1000 - now).toBeGreaterThanOrEqual(900_000);
    expect(exp * 1000 - now).toBeLessThan(960_000);
    expect(signedExpiry(900, 370, now) * 1000 - now).toBeGreaterThanOrEqual(1_270_000);
    // Everyone signed in the same minute gets the same expiry.
    expect(signedExpiry(900, 0, now + 20_000)).toBe(exp);
  });

  it('sign the path without its leading slash, and leave other URLs alone', () => {
    const url = signUploadUrl('/uploads/a.mp4', secret, 2_000_000_000);
    expect(url).toBe(`/uploads/a.mp4?exp=2000000000&sig=${signFileUrl(secret, 'uploads/a.mp4', 2_000_000_000)}`);
    expect(signUploadUrl('https://cdn.example.com/a.mp4', secret, 2_000_000_000)).toBe('https://cdn.example.com/a.mp4');
    expect(signUploadUrl(url, secret, 2_000_000_001)).toBe(url);
  });

  it('are put on the video files of an admin answer, not on images', () => {
    const body = {
      results: [
        { id: 1, mime: 'video/mp4', url: '/uploads/a.mp4', formats: null },
        { id: 2, mime: 'image/png', url: '/uploads/cover.png', formats: { thumbnail: { mime: 'image/png', url: '/uploads/thumbnail_cover.png' } } },
      ],
      lesson: { video: { mime: 'video/webm', url: '/uploads/b.webm' } },
    };
    signVideoUrlsIn(body, (url) => `${url}?signed`);
    expect(body.results[0].url).toBe('/uploads/a.mp4?signed');
    expect(body.results[1].url).toBe('/uploads/cover.png');
    expect(body.results[1].formats!.thumbnail.url).toBe('/uploads/thumbnail_cover.png');
    expect(body.lesson.video.url).toBe('/uploads/b.webm?signed');
  });
});

describe('the middleware', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, generateSecrets(), { SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-test-no-env-file') });
    resetEnvCache();
  });
  afterAll(() => {
    process.env = saved;
    resetEnvCache();
  });

  type FakeContext = {
    method: string;
    path: string;
    query: Record<string, unknown>;
    status: number;
    body: unknown;
    state: Record<string, unknown>;
    headers: Record<string, string>;
    set(name: string, value: string): void;
  };
  const fileRows: Record<string, string> = { '/uploads/cover.jpg': 'image/jpeg' };
  const strapi = { db: { query: () => ({ findOne: async ({ where }: { where: { url: string } }) => (fileRows[where.url] ? { mime: fileRows[where.url] } : null) }) } };

  async function run(method: string, rawPath: string, query: Record<string, unknown> = {}, state: Record<string, unknown> = {}, answer?: unknown) {
    const middleware = protectedUploads({}, { strapi: strapi as never });
    const ctx: FakeContext = {
      method,
      path: rawPath,
      query,
      status: 404,
      body: undefined,
      state,
      headers: {},
      set(name, value) {
        this.headers[name.toLowerCase()] = value;
      },
    };
    let reachedNext = false;
    await middleware(ctx as never, async () => {
      reachedNext = true;
      if (answer !== undefined) {
        ctx.status = 200;
        ctx.body = answer;
      }
    });
    return { ctx, reachedNext };
  }

  const signedQuery = (name: string, exp: number, secret = fileSigningSecret(loadEnv('cms'))) => ({ exp: String(exp), sig: signFileUrl(secret, `uploads/${name}`, exp) });
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

  it('lets a signed link to a video through, marked private for the rest of its life', async () => {
    const { ctx, reachedNext } = await run('GET', '/uploads/lesson.mp4', signedQuery('lesson.mp4', inAnHour()));
    expect(reachedNext).toBe(true);
    expect(ctx.headers['cache-control']).toMatch(/^private, max-age=(3599|3600)$/);
    expect((await run('HEAD', '/uploads/lesson.mp4', signedQuery('lesson.mp4', inAnHour()))).reachedNext).toBe(true);
  });

  // Queries are made in the test (the secret is set in beforeAll).
  it.each([
    ['no signature', () => ({}), VIDEO_LINK_MISSING],
    ['a tampered signature', () => ({ ...signedQuery('lesson.mp4', 2_000_000_000), exp: '2000000001' }), VIDEO_LINK_INVALID],
    ['another file’s signature', () => signedQuery('other.mp4', 2_000_000_000), VIDEO_LINK_INVALID],
    ['a signature made with another secret', () => signedQuery('lesson.mp4', 2_000_000_000, 'some-other-secret-entirely'), VIDEO_LINK_INVALID],
    ['a repeated parameter', () => ({ ...signedQuery('lesson.mp4', 2_000_000_000), exp: ['2000000000', '2000000000'] }), VIDEO_LINK_INVALID],
    ['an expired link', () => signedQuery('lesson.mp4', Math.floor(Date.now() / 1000) - 1), VIDEO_LINK_EXPIRED],
  ])('refuses a video with %s (403, its reason, never cached)', async (_case, query, message) => {
    const { ctx, reachedNext } = await run('GET', '/uploads/lesson.mp4', query());
    expect(reachedNext).toBe(false);
    expect(ctx.status).toBe(403);
    expect(ctx.body).toEqual({ data: null, error: { status: 403, name: 'ForbiddenError', message, details: {} } });
    expect(ctx.headers['cache-control']).toBe('no-store');
  });

  it('refuses a video reached through another spelling of its path', async () => {
    for (const spelling of ['/%75ploads/lesson.mp4', '/./uploads/lesson.mp4', '/uploads/lesson%2Emp4']) {
      expect((await run('GET', spelling)).ctx.status).toBe(403);
    }
  });

  it('serves images and other paths as before, whatever the query', async () => {
    expect((await run('GET', '/uploads/cover.jpg')).reachedNext).toBe(true);
    expect((await run('GET', '/uploads/thumbnail_cover.jpg')).reachedNext).toBe(true);
    expect((await run('GET', '/api/lessons', { sig: 'x' })).reachedNext).toBe(true);
    // Writes are not reads of a file: the router answers them as before.
    expect((await run('POST', '/uploads/lesson.mp4')).reachedNext).toBe(true);
  });

  it('signs the video URLs of admin answers only', async () => {
    const answer = () => ({ results: [{ mime: 'video/mp4', url: '/uploads/lesson.mp4' }, { mime: 'image/jpeg', url: '/uploads/cover.jpg' }] });
    const admin = await run('GET', '/upload/files', {}, { auth: { strategy: { name: 'admin' } } }, answer());
    const [video, image] = (admin.ctx.body as ReturnType<typeof answer>).results;
    const signed = new URL(video.url, 'http://cms.test');
    expect(signed.pathname).toBe('/uploads/lesson.mp4');
    const exp = Number(signed.searchParams.get('exp'));
    expect(exp - Date.now() / 1000).toBeGreaterThanOrEqual(loadEnv('cms').SIGNED_URL_TTL_SECONDS);
    expect(signed.searchParams.get('sig')).toBe(signFileUrl(fileSigningSecret(loadEnv('cms')), 'uploads/lesson.mp4', exp));
    expect(image.url).toBe('/uploads/cover.jpg');

    const student = await run('GET', '/api/upload/files', {}, { auth: { strategy: { name: 'users-permissions' } } }, answer());
    expect((student.ctx.body as ReturnType<typeof answer>).results[0].url).toBe('/uploads/lesson.mp4');
  });
});
