/**
 * Draft preview on the site, from the real admin (the built bundle served by Strapi, Debian's
 * Chromium) to the built site:
 * - the demo editor (seeded, Editor role) opens a draft lesson of a published course in the content
 *   manager, presses Open preview, and sees that lesson — body, video, syllabus — on the site inside
 *   the admin's preview pane, under the "Draft preview — not visible to students" banner; the page
 *   is private (no-store, noindex), framable by the admin only, its cookie httpOnly/Lax on /preview;
 * - the never-published demo course previews the same way, with its draft syllabus;
 * - a visitor without the cookie opening the same preview URL gets the 401 page and nothing of the
 *   draft; the public lesson and course URLs show no draft (404s, syllabus without it), never from
 *   the page cache either; Exit preview drops the cookie;
 * - the catalog's category filter lists only categories with a published course.
 * Screenshots: test-results/site/authoring-preview-lesson.png, authoring-preview-course.png,
 * preview-refused.png.
 */
import fs from 'node:fs';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { ensureAdminBuild } from '../helpers/live';
import { adminAuth } from '../helpers/payments';
import { CHROMIUM, eventually, screenshot, seriousViolations, signInToAdmin, startStack, watchContentSecurityPolicy, type Stack } from './harness';

const EDITOR = { email: 'editor@skillyug.local', password: 'Skillyug@Editor1' };
const STAMP = Date.now().toString(36);
const COURSE = 'javascript-foundations';
const DRAFT_COURSE = 'system-design-masterclass';
const LESSON_TITLE = `Closures, in draft ${STAMP}`;
const LESSON_SLUG = `closures-in-draft-${STAMP}`;
const LESSON_WORDS = `Words only the editor has seen so far (${STAMP}).`;
const BANNER = 'Draft preview — not visible to students.';

let stack: Stack;
let editor: Page;
let lessonId: string;
let previewPath: string;
const contexts: BrowserContext[] = [];
const browserErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  await ensureAdminBuild();
  stack = await startStack({}, { serveAdminPanel: true });
  const { strapi } = stack.app;

  // A lesson being written into a published course: a draft with a video, never published.
  const course: any = await strapi.documents('api::course.course' as any).findFirst({
    filters: { slug: COURSE },
    status: 'draft',
    populate: { modules: { fields: ['title', 'order'], populate: { lessons: { fields: ['order'] } } } },
  } as any);
  const module = [...course.modules].sort((a: any, b: any) => a.order - b.order)[0];
  const video = await strapi.db.query('plugin::upload.file').findOne({ where: { mime: 'video/mp4' } });
  const lesson: any = await strapi.documents('api::lesson.lesson' as any).create({
    data: {
      title: LESSON_TITLE,
      slug: LESSON_SLUG,
      type: 'video',
      isPreview: false,
      order: module.lessons.length,
      duration: 12,
      video: video.id,
      body: [{ type: 'paragraph', children: [{ type: 'text', text: LESSON_WORDS }] }],
      module: module.documentId,
    },
    status: 'draft',
  } as any);
  lessonId = lesson.documentId;
  previewPath = `/preview/courses/${COURSE}/${LESSON_SLUG}`;

  editor = await newAdminPage();
  await signInToAdmin(editor, EDITOR);
}, 900_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await stack?.stop();
  if (browserErrors.length && process.env.SITE_TEST_LOGS) console.log(browserErrors.join('\n'));
});

/** A fresh browser profile on the admin (Strapi's own address); the site pages it frames report CSP violations too. */
async function newAdminPage() {
  const context = await stack.browser.newContext({ baseURL: stack.apiUrl, viewport: { width: 1440, height: 1000 }, locale: 'en-IN' });
  contexts.push(context);
  await watchContentSecurityPolicy(context, stack.cspViolations);
  const page = await context.newPage();
  page.on('pageerror', (error) => browserErrors.push(`[pageerror] ${error.message}`));
  return page;
}

/** The preview URL the admin's handler gives the demo editor for a document (what the Preview pane opens). */
async function previewUrlFor(documentId: string, uid = 'api::lesson.lesson'): Promise<string> {
  const { auth } = await adminAuth(stack.app, { email: EDITOR.email });
  const res = await stack.app.http.get(`/content-manager/preview/url/${uid}`).query({ documentId }).set(auth);
  expect(res.status).toBe(200);
  return res.body.data.url;
}

/** Opens a document in the content manager and presses its Open preview button; resolves with the preview pane's site frame once it shows the banner. */
async function openPreview(page: Page, uid: string, documentId: string): Promise<Frame> {
  await page.goto(`/admin/content-manager/collection-types/${uid}/${documentId}`);
  const button = page.getByRole('link', { name: 'Open preview' });
  await button.waitFor({ timeout: 60_000 });
  await button.click();
  await page.waitForURL(/\/preview(\?|$)/, { timeout: 30_000 });
  const pane = page.getByTestId('preview-iframe');
  await pane.waitFor({ timeout: 30_000 });
  const frame = await eventually(async () => {
    const found = page.frames().find((f) => f.url().startsWith(`${stack.siteUrl}/preview/`));
    if (!found) throw new Error(`no site frame yet: ${page.frames().map((f) => f.url()).join(', ')}`);
    return found;
  }, 30_000);
  await frame.getByText(BANNER).waitFor({ timeout: 30_000 });
  return frame;
}

describe('previewing a draft lesson from the admin', () => {
  let frame: Frame;
  const responses: { url: string; status: number; headers: Record<string, string> }[] = [];

  it('shows the draft lesson on the site inside the admin’s preview pane, under the draft banner', async () => {
    editor.on('response', (response) => {
      if (response.url().startsWith(`${stack.siteUrl}/preview`)) responses.push({ url: response.url(), status: response.status(), headers: response.headers() });
    });
    frame = await openPreview(editor, 'api::lesson.lesson', lessonId);

    // The pane went through /preview?token=… (303, cookie) to the lesson's preview page.
    expect(new URL(frame.url()).pathname).toBe(previewPath);
    expect(responses[0]).toMatchObject({ status: 303 });
    expect(new URL(responses[0].url).searchParams.get('token')).toMatch(/^v1\./);
    expect(responses[0].headers.location).toBe(previewPath);

    await frame.getByRole('heading', { level: 1, name: LESSON_TITLE }).waitFor();
    await frame.getByText(LESSON_WORDS).waitFor();
    // The video plays from a signed link (the upload guard refuses unsigned ones).
    const source = await frame.locator('[data-testid="lesson-video"] source').getAttribute('src');
    expect(source).toMatch(new RegExp(`^${stack.apiUrl}/uploads/[^?]+\\.mp4\\?exp=\\d+&sig=`));
    await eventually(async () => expect(await frame.locator('video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1), 20_000);
    // The sidebar is the course's draft syllabus, this lesson current, every lesson opening inside the preview.
    const current = frame.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: LESSON_TITLE });
    expect(await current.getAttribute('aria-current')).toBe('page');
    const hrefs = await frame.getByRole('navigation', { name: 'Lessons' }).getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(3);
    expect(hrefs.every((href) => href?.startsWith(`/preview/courses/${COURSE}/`))).toBe(true);
    // No "Mark complete": nothing is recorded as anyone's progress.
    expect(await frame.getByTestId('mark-complete').count()).toBe(0);

    await screenshot(editor, 'authoring-preview-lesson');
  });

  it('is private: no-store, noindex, no referrer off the site, framable by the admin only; its cookie is httpOnly and Lax on /preview', async () => {
    const page = responses.find((r) => new URL(r.url).pathname === previewPath)!;
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.headers['x-robots-tag']).toBe('noindex');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors 'self' ${stack.apiUrl}`);
    expect(page.headers['x-cache']).toBeUndefined();

    const cookies = await editor.context().cookies(stack.siteUrl + previewPath);
    const cookie = cookies.find((c) => c.name === 'sy_preview')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/preview' });
    // As long as the token: ten minutes.
    const secondsLeft = cookie.expires - Date.now() / 1000;
    expect(secondsLeft).toBeGreaterThan(9 * 60);
    expect(secondsLeft).toBeLessThanOrEqual(10 * 60);

    expect(await (await fetch(`${stack.siteUrl}/robots.txt`)).text()).toContain('Disallow: /preview');

    // Public pages stay unframable.
    const course = await fetch(`${stack.siteUrl}/courses/${COURSE}`);
    expect(course.headers.get('x-frame-options')).toBe('DENY');
    expect(course.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('gives a visitor without the cookie the 401 page and nothing of the draft — and the public URLs no draft either', async () => {
    const visitor = await stack.newPage();
    contexts.push(visitor.context());
    const refused = await visitor.goto(previewPath);
    expect(refused!.status()).toBe(401);
    expect(refused!.headers()['cache-control']).toBe('private, no-store');
    await visitor.getByRole('heading', { name: 'This preview link has expired or isn’t valid' }).waitFor();
    const text = await visitor.locator('body').innerText();
    expect(text).not.toContain(LESSON_TITLE);
    expect(text).not.toContain(LESSON_WORDS);
    expect(await seriousViolations(visitor)).toEqual([]);
    await screenshot(visitor, 'preview-refused');

    // A forged or stale token is no better.
    const forged = await visitor.goto(`/preview?token=v1.${Buffer.from('{}').toString('base64url')}.AAAA`);
    expect(forged!.status()).toBe(401);
    expect(await visitor.context().cookies(stack.siteUrl + previewPath)).toEqual([]);

    // The public lesson address: not in the published course.
    expect((await visitor.goto(`/learn/${COURSE}/${LESSON_SLUG}`))!.status()).toBe(404);
    // The public course page (twice: the second from the page cache) lists no draft lesson.
    for (let i = 0; i < 2; i++) {
      const course = await visitor.goto(`/courses/${COURSE}`);
      expect(course!.status()).toBe(200);
      expect(await visitor.locator('body').innerText()).not.toContain(LESSON_TITLE);
    }
    // Nor does the API the site reads.
    const lessons = await fetch(`${stack.apiUrl}/api/lessons?filters[slug][$eq]=${LESSON_SLUG}`).then((r) => r.json());
    expect(lessons.data).toEqual([]);

    // Anonymous requests to a preview page never come from, or go into, the page cache.
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${stack.siteUrl}${previewPath}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('x-cache')).toBeNull();
    }
  });

  it('previews a course that was never published, with its draft syllabus, from the course itself', async () => {
    const course: any = await stack.app.strapi.documents('api::course.course' as any).findFirst({
      filters: { slug: DRAFT_COURSE },
      status: 'draft',
      populate: { modules: { populate: { lessons: { fields: ['title'] } } } },
    } as any);
    const frame = await openPreview(editor, 'api::course.course', course.documentId);
    expect(new URL(frame.url()).pathname).toBe(`/preview/courses/${DRAFT_COURSE}`);
    await frame.getByRole('heading', { level: 1, name: course.title }).waitFor();
    // The call to action says what students will see, and does nothing here.
    await frame.getByTestId('course-action-inert').waitFor();
    await screenshot(editor, 'authoring-preview-course');
    // Every draft lesson opens inside the preview.
    const first = course.modules[0].lessons[0];
    await frame.getByRole('link', { name: first.title }).first().click();
    await frame.waitForURL(new RegExp(`/preview/courses/${DRAFT_COURSE}/`));
    await frame.getByRole('heading', { level: 1, name: first.title }).waitFor();
    await frame.getByText(BANNER).waitFor();

    // Students: no such course.
    expect((await fetch(`${stack.siteUrl}/courses/${DRAFT_COURSE}`)).status).toBe(404);
  });

  it('Exit preview drops the cookie and points to the published page', async () => {
    const frame = await openPreview(editor, 'api::lesson.lesson', lessonId);
    await frame.getByRole('button', { name: 'Exit preview' }).click();
    // In the admin's pane: a page saying so, linking the published lesson (which refuses to be framed) for the whole window.
    await frame.getByRole('heading', { name: 'You left the draft preview' }).waitFor({ timeout: 30_000 });
    const published = frame.getByRole('link', { name: 'Open the published page' });
    expect(await published.getAttribute('href')).toBe(`/learn/${COURSE}/${LESSON_SLUG}`);
    expect(await published.getAttribute('target')).toBe('_top');
    expect((await editor.context().cookies(stack.siteUrl + previewPath)).filter((c) => c.name === 'sy_preview')).toEqual([]);
    await frame.goto(`${stack.siteUrl}${previewPath}`);
    await frame.getByRole('heading', { name: 'This preview link has expired or isn’t valid' }).waitFor();

    // In a tab of its own, Exit preview goes straight to the published page: here, a lesson that isn't published yet.
    const tab = await editor.context().newPage();
    await tab.goto(await previewUrlFor(lessonId));
    await tab.getByText(BANNER).waitFor();
    expect(await seriousViolations(tab)).toEqual([]);
    await tab.getByRole('button', { name: 'Exit preview' }).click();
    await tab.getByRole('heading', { name: 'Lesson not found' }).waitFor();
    expect(new URL(tab.url()).pathname).toBe(`/learn/${COURSE}/${LESSON_SLUG}`);
    await tab.close();
  });

  it('met no Content-Security-Policy violation on the site', () => {
    expect(stack.cspViolations.filter((v) => v.page.startsWith(stack.siteUrl))).toEqual([]);
  });
});

describe('the catalog’s category filter', () => {
  it('lists a category only once one of its courses is published', async () => {
    const { strapi } = stack.app;
    const name = `Drafts only ${STAMP}`;
    const category: any = await strapi.documents('api::category.category' as any).create({ data: { name, slug: `drafts-only-${STAMP}` } } as any);
    const course: any = await strapi.documents('api::course.course' as any).create({
      data: { title: `Coming soon ${STAMP}`, slug: `coming-soon-${STAMP}`, level: 'beginner', price: 0, isFree: true, currency: 'INR', category: category.documentId },
      status: 'draft',
    } as any);

    const visitor = await stack.newPage();
    contexts.push(visitor.context());
    const options = async () => {
      await visitor.goto('/courses');
      return visitor.locator('#catalog-category option').allInnerTexts();
    };
    await eventually(async () => {
      const listed = await options();
      expect(listed).toContain('Cloud & DevOps');
      expect(listed).not.toContain(name);
    }, 10_000);

    // Published: the category joins the filter (the site's caches are dropped on publish).
    await strapi.documents('api::course.course' as any).publish({ documentId: course.documentId } as any);
    await eventually(async () => expect(await options()).toContain(name), 10_000);
  });
});
