/**
 * A class's recording on the mentor's class page, in the real Strapi admin (the built bundle
 * served by Strapi, Debian's Chromium), recorded by the real pipeline (Debian's ffmpeg publishes a
 * test pattern to the built-in server, recording on):
 * - class A, through the page: "Recording…" while live, "Publish when ready" into a module, End
 *   class, processing with its stage and progress, ready, published by itself; the preview plays
 *   and a thumbnail of the strip seeks it; it can't be deleted while it's a lesson;
 * - class B (recorded by the helper): published in one dialog as a free-preview lesson;
 * - class C: deleted after confirming, with its stored files;
 * - another mentor sees nothing of class A's recording.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PanelRecordingDto } from '../../../src-plugins/live/server/src/recordings/contracts';
import { startStrapi, freePort, type TestApp } from '../helpers/strapi';
import { ensureAdminBuild, liveActors, publishTestPattern, scheduleSession, streamKeyOf, type LiveActors } from '../helpers/live';
import { recordClass } from '../helpers/recordings';
import { CHROMIUM, dismissOverlays, eventually, resultsDir, screenshot, seriousViolations, signInToAdmin } from './harness';

const MENTOR = { email: 'ananya.rao@skillyug.local', password: 'Skillyug@Mentor1' };
const OTHER_MENTOR = { email: 'vikram.nair@skillyug.local', password: 'Skillyug@Mentor1' };
const TITLE = `Closures, recorded ${Date.now().toString(36)}`;
/** Long enough for three thumbnails (every 10 s), short enough for a test. */
const PUBLISH_SECONDS = 24;
/** Modules of JavaScript Foundations in the demo seed. */
const MODULE = 'Functions, arrays and objects';
const OTHER_MODULE = 'The DOM and your first project';

let app: TestApp;
let who: LiveActors;
let apiUrl: string;
let browser: Browser;
let mentor: Page;
let sessionId: string;
let classUrl: string;
let encoder: ReturnType<typeof publishTestPattern> | undefined;
let storageDir: string;
const browserErrors: string[] = [];
const STRAPI_ENV = ['PUBLIC_URL', 'LIVE_RECONNECT_GRACE_SECONDS', 'LOCAL_STORAGE_DIR'];

beforeAll(async () => {
  const ffmpeg = spawnSync('ffmpeg', ['-version']);
  if (ffmpeg.error || ffmpeg.status !== 0) throw new Error('ffmpeg is needed for the panel recording test: .ci/run installs it (apt-get install ffmpeg)');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  await ensureAdminBuild();

  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-panel-recordings-'));
  // A grace longer than the wait between the encoder's last frame and "End class": the class stays live.
  app = await startStrapi({ PUBLIC_URL: apiUrl, LIVE_RECONNECT_GRACE_SECONDS: '60', LOCAL_STORAGE_DIR: storageDir }, { serveAdminPanel: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  who = await liveActors(app);
  sessionId = (await scheduleSession(app, who.owner.auth, { courseId: who.course, title: TITLE, recording: true })).id;
  classUrl = sessionPage(sessionId);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  });
  fs.mkdirSync(resultsDir, { recursive: true });
}, 600_000);

afterAll(async () => {
  await encoder?.stop();
  await browser?.close().catch(() => undefined);
  await app?.stop();
  for (const name of STRAPI_ENV) delete process.env[name];
  if (storageDir) fs.rmSync(storageDir, { recursive: true, force: true });
  if (browserErrors.length && process.env.SITE_TEST_LOGS) console.log(browserErrors.join('\n'));
});

async function newAdminPage() {
  const context = await browser.newContext({ baseURL: apiUrl, viewport: { width: 1440, height: 1000 }, locale: 'en-IN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => browserErrors.push(`[pageerror] ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && browserErrors.push(`[console] ${message.text()}`));
  return page;
}

/** A class's recording (class A's by default) as the panel's API gives it to `auth`. */
async function recordingOf(auth: Record<string, string>, ofSession = sessionId) {
  const res = await app.http.get(`/live/sessions/${ofSession}/recording`).set(auth);
  return { status: res.status, recording: res.body?.data as PanelRecordingDto | undefined, body: res.body };
}

const card = (page: Page) => page.locator('section').filter({ has: page.getByRole('heading', { name: 'Recording', level: 2, exact: true }) });
const preview = (page: Page) => page.locator('video[aria-label="Recording preview"]');
const videoTime = (page: Page) => preview(page).evaluate((video: HTMLVideoElement) => video.currentTime);
const sessionPage = (id: string) => `/admin/plugins/live/sessions/${encodeURIComponent(id)}`;

/** A lesson as the content manager's API has it (the page links there), with its module. */
async function lessonOf(lessonId: string) {
  const res = await app.http.get(`/content-manager/collection-types/api::lesson.lesson/${lessonId}`).set(who.admin.auth);
  expect(res.status).toBe(200);
  const withModule = await app.strapi.documents('api::lesson.lesson').findOne({ documentId: lessonId, populate: ['module'] });
  return { ...res.body.data, moduleTitle: (withModule as any)?.module?.title as string | undefined };
}

/** 20 000 ms → "0:20", as the strip labels its thumbnails. */
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

describe("a class's recording in the mentor's panel", () => {
  it('says "Recording…" while the class is live, and takes "Publish when ready" into a module', async () => {
    mentor = await newAdminPage();
    await signInToAdmin(mentor, MENTOR);
    await mentor.goto(classUrl);
    await dismissOverlays(mentor);
    await mentor.getByRole('heading', { name: TITLE, level: 1 }).waitFor({ timeout: 60_000 });
    // Before the class: no recording card.
    expect(await card(mentor).count()).toBe(0);

    const { server, streamKey } = await streamKeyOf(app, who.owner.auth, sessionId);
    encoder = publishTestPattern(server, streamKey, { seconds: PUBLISH_SECONDS });
    // OBS alone takes the class live; the recording row starts with the video.
    await mentor.getByLabel('Live now').first().waitFor({ timeout: 45_000 });
    await card(mentor).getByText('Recording…').waitFor({ timeout: 30_000 });
    expect(await card(mentor).innerText()).toMatch(/RECORDING/i);
    expect((await recordingOf(who.owner.auth)).recording).toMatchObject({ status: 'recording', provider: 'local', sessionId, lessonId: null });
    // Not while it's being recorded (the server refuses it too), and the page says why.
    expect(await card(mentor).getByRole('button', { name: 'Delete recording' }).isDisabled()).toBe(true);
    await card(mentor).getByText('It can be deleted once the class has been recorded.').waitFor();

    await card(mentor).getByRole('button', { name: 'Publish when ready' }).click();
    const dialog = mentor.getByRole('dialog', { name: 'Publish as a lesson when ready' });
    await dialog.waitFor();
    // The class's title by default; no module chosen is refused on the page, nothing sent.
    expect(await dialog.getByRole('textbox', { name: /^Lesson title/ }).inputValue()).toBe(TITLE);
    await dialog.getByRole('button', { name: 'Publish when ready' }).click();
    await dialog.getByText('Choose the module the lesson goes into').waitFor();
    expect((await recordingOf(who.owner.auth)).recording!.autoPublish).toBeNull();
    await dialog.getByRole('combobox', { name: /^Module/ }).click();
    await mentor.getByRole('option', { name: MODULE }).click();
    await dialog.getByRole('button', { name: 'Publish when ready' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });

    await card(mentor).getByText(`Will be published to ${MODULE} when ready.`).waitFor({ timeout: 20_000 });
    const { recording } = await recordingOf(who.owner.auth);
    expect(recording!.autoPublish).toEqual({ moduleId: expect.any(String), moduleTitle: MODULE });
    expect(recording!.lessonId).toBeNull();
    await screenshot(mentor, 'panel-recording-live');
  });

  it('ends the class: processing with its stage and progress, then ready, and published as a lesson by itself', async () => {
    // The whole test pattern has been sent (ffmpeg exits when done): the recording is PUBLISH_SECONDS long.
    expect(await encoder!.exited).toBe(0);
    encoder = undefined;

    // Every state of the progress bar the page shows, from the moment the class ends.
    await mentor.evaluate(() => {
      const seen: string[] = ((window as any).__progressSeen = []);
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll('[role="progressbar"][aria-label="Processing the recording"]')) {
          const text = bar.getAttribute('aria-valuetext') ?? '';
          if (seen[seen.length - 1] !== text) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuetext'] });
    });
    await mentor.getByRole('button', { name: 'End class' }).click();
    await mentor.getByRole('alertdialog', { name: 'End the class for everyone?' }).getByRole('button', { name: /^confirm$/i }).click();

    await card(mentor).getByText('Ready', { exact: true }).waitFor({ timeout: 120_000 });
    const progress: string[] = await mentor.evaluate(() => (window as any).__progressSeen);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatch(/^(Queued|Remuxing|Making thumbnails|Uploading): \d+ %$/);

    // "Publish when ready" was carried out when processing finished.
    await card(mentor).getByText('Published as a lesson', { exact: true }).waitFor({ timeout: 30_000 });
    const { recording } = await recordingOf(who.owner.auth);
    expect(recording).toMatchObject({ status: 'ready', title: TITLE, autoPublish: null, lessonId: expect.any(String) });
    expect(recording!.playback).toMatchObject({ kind: 'mp4' });
    // The test pattern's length, give or take the first keyframe and the last packets.
    expect(recording!.durationMs).toBeGreaterThan((PUBLISH_SECONDS - 3) * 1000);
    expect(recording!.durationMs).toBeLessThan((PUBLISH_SECONDS + 2) * 1000);
    const lesson = await lessonOf(recording!.lessonId!);
    expect(lesson).toMatchObject({ title: TITLE, isPreview: false, recording: recording!.id, moduleTitle: MODULE });
    expect(lesson.duration).toBe(Math.round(recording!.durationMs! / 1000));
    const lessonLink = card(mentor).getByRole('link', { name: 'Open the lesson in the content manager' });
    expect(await lessonLink.getAttribute('href')).toBe(`/admin/content-manager/collection-types/api::lesson.lesson/${recording!.lessonId}`);

    const text = await card(mentor).innerText();
    expect(text).toMatch(/Duration\s+\d+ s/i);
    expect(text).toMatch(/Size\s+[\d.,]+ (KB|MB)/i);
    // Published: kept, so no retention notice.
    expect(text).not.toContain('Deleted automatically');
    // The same file and name as the API's link (each is signed when it is asked for: their expiries may differ by a second).
    const withoutSignature = (url: string | null) => {
      const parsed = new URL(url ?? '');
      return `${parsed.origin}${parsed.pathname}?dl=${parsed.searchParams.get('dl')}`;
    };
    const download = await card(mentor).getByRole('link', { name: 'Download MP4' }).getAttribute('href');
    expect(withoutSignature(download)).toBe(withoutSignature(recording!.downloadUrl));
    expect(new URL(download!).searchParams.get('sig')).toBeTruthy();
  });

  it('plays the preview, and a thumbnail of the strip moves it to its moment', async () => {
    const { recording } = await recordingOf(who.owner.auth);
    const thumbnails = recording!.thumbnails;
    expect(thumbnails.length).toBeGreaterThanOrEqual(2);
    const strip = mentor.getByRole('list', { name: 'Thumbnails' });
    await strip.waitFor();
    expect(await strip.getByRole('button').count()).toBe(thumbnails.length);
    // Every thumbnail image loads (signed URLs the browser may fetch).
    await eventually(async () => {
      const loaded = await strip.locator('img').evaluateAll((images: HTMLImageElement[]) => images.every((img) => img.complete && img.naturalWidth > 0));
      if (!loaded) {
        await strip.locator('img').evaluateAll((images: HTMLImageElement[]) => images.forEach((img) => img.scrollIntoView()));
        throw new Error('some thumbnails have not loaded');
      }
    }, 20_000, 250);

    // Plays: its clock advances.
    await preview(mentor).evaluate((video: HTMLVideoElement) => {
      video.muted = true;
      return video.play();
    });
    const start = await eventually(async () => {
      const t = await videoTime(mentor);
      if (!(t > 0)) throw new Error(`the preview hasn't started (currentTime ${t})`);
      return t;
    }, 20_000, 100);
    await eventually(async () => {
      const t = await videoTime(mentor);
      if (!(t > start + 1)) throw new Error(`the preview is stuck at ${t} (started at ${start})`);
    }, 20_000, 100);

    // The last thumbnail: the preview jumps there.
    const last = thumbnails[thumbnails.length - 1];
    await preview(mentor).evaluate((video: HTMLVideoElement) => video.pause());
    await strip.getByRole('button', { name: `Go to ${clock(last.atMs)}` }).click();
    await eventually(async () => {
      const t = await videoTime(mentor);
      if (Math.abs(t - last.atMs / 1000) > 0.5) throw new Error(`the preview is at ${t}, not ${last.atMs / 1000}`);
    }, 10_000, 100);

    await card(mentor).scrollIntoViewIfNeeded();
    await card(mentor).screenshot({ path: path.join(resultsDir, 'panel-recording-card.png') });
    await screenshot(mentor, 'panel-recording-ready');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);
  });

  it("can't be deleted while it's a lesson: the button says why, and the API refuses", async () => {
    const { recording } = await recordingOf(who.owner.auth);
    const remove = card(mentor).getByRole('button', { name: 'Delete recording' });
    expect(await remove.isDisabled()).toBe(true);
    await card(mentor).getByText('Published as a lesson: delete the lesson first.').waitFor();
    const refused = await app.http.delete(`/live/recordings/${recording!.id}`).set(who.owner.auth);
    expect(refused.status).toBe(409);
    expect((await recordingOf(who.owner.auth)).recording).toMatchObject({ id: recording!.id, status: 'ready' });
    expect(fs.existsSync(path.join(storageDir, 'recordings', recording!.id, 'video.mp4'))).toBe(true);
  });

  it('publishes a ready recording as a free-preview lesson in one dialog', async () => {
    const classB = await recordClass(app, who, { seconds: 4, title: `Closures, take two ${Date.now().toString(36)}` });
    await mentor.goto(sessionPage(classB.sessionId));
    await card(mentor).getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
    await card(mentor).getByText(/^Deleted automatically (in \d+ days?|within a day) unless published\.$/).waitFor();

    await card(mentor).getByRole('button', { name: 'Publish as lesson' }).click();
    const dialog = mentor.getByRole('dialog', { name: 'Publish as a lesson' });
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: /^Module/ }).click();
    await mentor.getByRole('option', { name: OTHER_MODULE }).click();
    const title = `Closures, the replay ${Date.now().toString(36)}`;
    await dialog.getByRole('textbox', { name: /^Lesson title/ }).fill(title);
    await dialog.getByRole('checkbox', { name: 'Free preview' }).click();
    await screenshot(mentor, 'panel-recording-publish');
    await dialog.getByRole('button', { name: 'Publish lesson' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });

    await card(mentor).getByText('Published as a lesson', { exact: true }).waitFor({ timeout: 30_000 });
    const { recording } = await recordingOf(who.owner.auth, classB.sessionId);
    expect(recording!.lessonId).toEqual(expect.any(String));
    expect(await lessonOf(recording!.lessonId!)).toMatchObject({ title, isPreview: true, recording: classB.recordingId, moduleTitle: OTHER_MODULE });

    // After a reload the page still says so (the server's state, not the page's).
    await mentor.reload();
    await card(mentor).getByText('Published as a lesson', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await card(mentor).getByRole('button', { name: /^Publish/ }).count()).toBe(0);
    await screenshot(mentor, 'panel-recording-published');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);
  });

  it("deletes an unpublished recording after confirming: its video, poster and thumbnails are gone", async () => {
    const classC = await recordClass(app, who, { seconds: 4, title: `Closures, take three ${Date.now().toString(36)}` });
    const folder = path.join(storageDir, 'recordings', classC.recordingId);
    expect(fs.readdirSync(folder)).toEqual(expect.arrayContaining(['video.mp4', 'poster.jpg']));

    await mentor.goto(sessionPage(classC.sessionId));
    await card(mentor).getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
    await card(mentor).getByRole('button', { name: 'Delete recording' }).click();
    const confirm = mentor.getByRole('alertdialog', { name: 'Delete this recording?' });
    await confirm.getByText('removed from storage for good').waitFor();
    await screenshot(mentor, 'panel-recording-delete');
    await confirm.getByRole('button', { name: 'Delete for good' }).click();
    await confirm.waitFor({ state: 'detached', timeout: 30_000 });

    await mentor.getByText('The recording was deleted, with its video and thumbnails.').waitFor({ timeout: 30_000 });
    expect(fs.existsSync(folder)).toBe(false);
    expect((await recordingOf(who.owner.auth, classC.sessionId)).status).toBe(404);
    // Class A's published recording is untouched.
    expect((await recordingOf(who.owner.auth)).recording).toMatchObject({ status: 'ready' });
  });

  it("another mentor gets the not-found page and the API's 403, never the recording", async () => {
    const other = await newAdminPage();
    const recordingRequests: string[] = [];
    other.on('request', (request) => /\/recording|\/api\/live\/files\//.test(request.url()) && recordingRequests.push(request.url()));
    await signInToAdmin(other, OTHER_MENTOR);
    await other.goto(classUrl);
    await dismissOverlays(other);
    await other.getByRole('heading', { name: 'Class not found', level: 1 }).waitFor({ timeout: 30_000 });
    expect(await other.locator('video').count()).toBe(0);
    expect(recordingRequests).toEqual([]);
    await screenshot(other, 'panel-recording-other-mentor');
    await other.context().close();

    expect((await recordingOf(who.otherMentor.auth)).status).toBe(403);
    const { recording } = await recordingOf(who.owner.auth);
    expect((await app.http.post(`/live/recordings/${recording!.id}/publish`).set(who.otherMentor.auth).send({ moduleId: recording!.modules[0].id })).status).toBe(403);
    expect((await app.http.delete(`/live/recordings/${recording!.id}`).set(who.otherMentor.auth)).status).toBe(403);
  });
});
