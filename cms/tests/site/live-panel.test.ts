/**
 * The mentor's "Live classes" panel in the real Strapi admin (the built bundle in cms/dist/build,
 * served by Strapi itself: `startStrapi(env, { serveAdminPanel: true })`), driven with Debian's
 * Chromium, with a real stream from Debian's ffmpeg. A mentor's afternoon: sign in, find the empty
 * list, schedule a class through the modal, read the OBS settings (the key masked until revealed,
 * and the same key the API gives), publish to it and watch the panel turn live with stream health
 * and a playing preview, end the class and see its analytics. Another mentor can't open it.
 * axe on the list and the class page (scoped to the plugin's page: see `pageViolations`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStrapi, freePort, type TestApp } from '../helpers/strapi';
import { adminAuth } from '../helpers/payments';
import { ensureAdminBuild, liveActors, publishTestPattern, sessionRow, streamKeyOf, type LiveActors } from '../helpers/live';
import { CHROMIUM, dismissOverlays, eventually, resultsDir, screenshot, seriousViolations, signInToAdmin } from './harness';

const MENTOR = { email: 'ananya.rao@skillyug.local', password: 'Skillyug@Mentor1' };
const OTHER_MENTOR = { email: 'vikram.nair@skillyug.local', password: 'Skillyug@Mentor1' };
const TITLE = `Closures, live from the panel ${Date.now().toString(36)}`;

/**
 * The mentor's time zone: India, unless it is within an hour of midnight there (then UTC), so
 * "a few minutes from now" and the form's default start fall on the same day.
 */
function pickTimeZone() {
  const hour = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const ist = hour('Asia/Kolkata');
  return ist >= 23 || ist < 1 ? 'UTC' : 'Asia/Kolkata';
}
const TIME_ZONE = pickTimeZone();
const hhmm = (date: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);

let app: TestApp;
let who: LiveActors;
let apiUrl: string;
let browser: Browser;
let mentor: Page;
let sessionId: string;
let classUrl: string;
let streamKey: string;
let obsServer: string;
let encoder: ReturnType<typeof publishTestPattern> | undefined;
const browserErrors: string[] = [];
const STRAPI_ENV = ['PUBLIC_URL', 'LIVE_RECONNECT_GRACE_SECONDS'];

beforeAll(async () => {
  const ffmpeg = spawnSync('ffmpeg', ['-version']);
  if (ffmpeg.error || ffmpeg.status !== 0) throw new Error('ffmpeg is needed for the live panel test: .ci/run installs it (apt-get install ffmpeg)');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  // CI has built the admin (`npm run build`); locally, build it when it's missing or stale.
  await ensureAdminBuild();

  // Strapi must know the address it will listen on before it boots (playback URLs, the admin's URL).
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  // A generous grace: a stalled encoder on a loaded machine must not end the class mid-test.
  app = await startStrapi({ PUBLIC_URL: apiUrl, LIVE_RECONNECT_GRACE_SECONDS: '30' }, { serveAdminPanel: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  who = await liveActors(app);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'] });
  fs.mkdirSync(resultsDir, { recursive: true });
}, 600_000);

afterAll(async () => {
  await encoder?.stop();
  await browser?.close().catch(() => undefined);
  await app?.stop();
  for (const name of STRAPI_ENV) delete process.env[name];
  if (browserErrors.length && process.env.SITE_TEST_LOGS) console.log(browserErrors.join('\n'));
});

/** A fresh browser profile on the admin. */
async function newAdminPage() {
  const context = await browser.newContext({ baseURL: apiUrl, viewport: { width: 1440, height: 1000 }, locale: 'en-IN', timezoneId: TIME_ZONE });
  const page = await context.newPage();
  page.on('pageerror', (error) => browserErrors.push(`[pageerror] ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && browserErrors.push(`[console] ${message.text()}`));
  return page;
}

/** The number a stream-health figure shows ("Bitrate 612 kbps" → 612), null for "—". */
async function metric(page: Page, label: string, unit: string) {
  const text = await page.getByText(label, { exact: true }).locator('..').innerText();
  const match = new RegExp(`([\\d.]+)\\s*${unit}`).exec(text);
  return match ? Number(match[1]) : null;
}

/** The class page's header: the title, and under it the status badge, course and time. */
const classHeader = (page: Page) => page.getByRole('heading', { level: 1 }).locator('xpath=ancestor::*[contains(., "JavaScript Foundations")][1]');
const preview = (page: Page) => page.locator('video[aria-label="Live preview (muted)"]');
const videoTime = (page: Page) => preview(page).evaluate((video: HTMLVideoElement) => video.currentTime);

describe("a mentor's afternoon in the Live classes panel", () => {
  it("signs in, finds the demo seed's class coming up, and schedules one through the modal", async () => {
    mentor = await newAdminPage();
    await signInToAdmin(mentor, MENTOR);

    await mentor.getByRole('link', { name: 'Live classes' }).first().click();
    await mentor.waitForURL(/\/admin\/plugins\/live/);
    await dismissOverlays(mentor);
    await mentor.getByRole('heading', { name: 'Live classes', level: 1 }).waitFor({ timeout: 30_000 });
    // The demo seed scheduled one class for Ananya (tomorrow, 18:00 IST).
    await mentor.getByRole('link', { name: /closures and the event loop/ }).waitFor({ timeout: 20_000 });
    await screenshot(mentor, 'panel-upcoming');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);

    await mentor.getByRole('button', { name: 'Schedule a class' }).first().click();
    const modal = mentor.getByRole('dialog', { name: 'Schedule a live class' });
    await modal.waitFor();
    const course = modal.getByRole('combobox', { name: /Course/ });
    await course.waitFor({ timeout: 20_000 });
    if (!(await course.innerText()).includes('JavaScript Foundations')) {
      await course.click();
      await mentor.getByRole('option', { name: 'JavaScript Foundations' }).click();
    }
    await modal.getByRole('textbox', { name: /^Title/ }).fill(TITLE);

    // A few minutes from now, typed into the time field (the picker offers quarter hours).
    const startsAt = new Date(Date.now() + 5 * 60_000);
    const time = modal.getByRole('combobox', { name: /^Time/ });
    await time.fill(hhmm(startsAt));
    await time.press('Enter');
    await modal.getByRole('textbox', { name: /^Title/ }).click();
    await screenshot(mentor, 'panel-schedule-modal');

    await modal.getByRole('button', { name: 'Schedule class' }).click();
    await mentor.waitForURL(/\/admin\/plugins\/live\/sessions\/[^/]+$/, { timeout: 30_000 });
    sessionId = decodeURIComponent(new URL(mentor.url()).pathname.split('/').pop()!);
    classUrl = new URL(mentor.url()).pathname;
    await mentor.getByRole('heading', { name: TITLE, level: 1 }).waitFor();

    const row = await sessionRow(app, sessionId);
    expect(row).toMatchObject({ title: TITLE, status: 'SCHEDULED' });
    expect(hhmm(new Date(row.scheduledAt))).toBe(hhmm(startsAt));
  });

  it('lists the class, and opens its page from the list', async () => {
    await mentor.getByRole('link', { name: 'All classes' }).click();
    const link = mentor.getByRole('link', { name: TITLE });
    await link.waitFor({ timeout: 20_000 });
    const row = mentor.getByRole('row').filter({ has: link });
    expect(await row.innerText()).toContain('JavaScript Foundations');
    expect((await row.innerText()).toUpperCase()).toContain('SCHEDULED');
    await screenshot(mentor, 'panel-list');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);

    await link.click();
    await mentor.waitForURL((url) => url.pathname === classUrl);
    await mentor.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
  });

  it('shows the OBS settings: the server, and the stream key only when revealed, the same the API gives', async () => {
    const server = mentor.getByRole('textbox', { name: 'Server' });
    await server.waitFor();
    obsServer = await server.inputValue();
    expect(obsServer).toBe(`rtmp://127.0.0.1:${process.env.LOCAL_RTMP_PORT}/live`);

    const hidden = mentor.getByRole('textbox', { name: 'Stream key (hidden)' });
    expect(await hidden.inputValue()).toMatch(/^•+$/);
    await mentor.getByRole('button', { name: 'Reveal key' }).click();
    const revealed = mentor.getByRole('textbox', { name: 'Stream key', exact: true });
    await revealed.waitFor();
    streamKey = await revealed.inputValue();

    const fromApi = await streamKeyOf(app, (await adminAuth(app, { email: MENTOR.email })).auth, sessionId);
    expect(streamKey).toBe(fromApi.streamKey);
    expect(obsServer).toBe(fromApi.server);
    expect(await mentor.getByText('Waiting for OBS').count()).toBe(1);
    await screenshot(mentor, 'panel-class-scheduled');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);

    // Hidden again before the page is shared on a screen.
    await mentor.getByRole('button', { name: 'Hide key' }).click();
    await hidden.waitFor();
  });

  it('turns live when OBS publishes: receiving video, bitrate and fps, a playing preview, a student watching', async () => {
    encoder = publishTestPattern(obsServer, streamKey, { seconds: 180 });

    await mentor.getByText('Receiving video from OBS').waitFor({ timeout: 45_000 });
    await mentor.getByLabel('Live now').first().waitFor({ timeout: 15_000 });
    expect(await classHeader(mentor).innerText()).toMatch(/\bLIVE\b/);
    expect(await mentor.getByRole('button', { name: 'End class' }).count()).toBe(1);

    // The figures measured from the ingest (the panel polls every 3 s).
    const figures = await eventually(async () => {
      const bitrate = await metric(mentor, 'Bitrate', 'kbps');
      const fps = await metric(mentor, 'Frame rate', 'fps');
      if (!bitrate || !fps) throw new Error(`no figures yet: bitrate ${bitrate}, fps ${fps}`);
      return { bitrate, fps };
    }, 30_000, 500);
    expect(figures.bitrate).toBeGreaterThan(0);
    expect(figures.fps).toBeGreaterThan(10);
    expect(figures.fps).toBeLessThan(40);

    // The muted preview plays: its clock advances.
    const first = await eventually(async () => {
      const t = await videoTime(mentor);
      if (!(t > 0)) throw new Error(`the preview hasn't started (currentTime ${t})`);
      return t;
    }, 45_000, 250);
    await eventually(async () => {
      const t = await videoTime(mentor);
      if (!(t > first + 1)) throw new Error(`the preview is stuck at ${t} (started at ${first})`);
    }, 30_000, 250);

    // A student joins from the site: the panel counts them (viewers are refreshed every third poll).
    const join = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(who.enrolled.auth);
    expect(join.status).toBe(200);
    await mentor.getByText(/1 joined so far/).waitFor({ timeout: 30_000 });

    await screenshot(mentor, 'panel-class-live');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);
  });

  it('ends the class after confirming: ENDED, with the analytics and the viewers chart', async () => {
    await mentor.getByRole('button', { name: 'End class' }).click();
    const confirm = mentor.getByRole('alertdialog', { name: 'End the class for everyone?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: /^confirm$/i }).click();

    // The badge under the title (uppercase on screen, as the mentor reads it).
    await eventually(async () => {
      const text = await classHeader(mentor).innerText();
      if (!/\bENDED\b/.test(text) || /\bLIVE\b/.test(text)) throw new Error(`the header says: ${text}`);
    }, 20_000, 250);
    expect(await mentor.getByRole('button', { name: 'End class' }).count()).toBe(0);
    expect((await sessionRow(app, sessionId)).status).toBe('ENDED');

    await mentor.getByText('Students joined', { exact: true }).waitFor({ timeout: 20_000 });
    const chart = mentor.locator('svg[role="img"]').filter({ has: mentor.locator('title', { hasText: 'Viewers over time' }) });
    await chart.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await chart.count()).toBe(1);
    // Engagement: the student who watched has a row of their own; no poll was launched.
    const participation = mentor.locator('table').filter({ has: mentor.getByText('Quiz right', { exact: true }) });
    await participation.waitFor({ timeout: 20_000 });
    expect(await participation.locator('tbody tr').count()).toBe(1);
    await mentor.getByText('No poll was launched in this class.').waitFor();
    await screenshot(mentor, 'panel-class-ended');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);

    // The analytics page charts the mentor's classes over time, this one included.
    await mentor.goto(classUrl.replace(/\/sessions\/.*$/, '/analytics'));
    const perClass = mentor.locator('svg[role="img"]').filter({ has: mentor.locator('title', { hasText: 'Students per class' }) });
    await perClass.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await perClass.locator('desc').textContent()).toMatch(/students who joined: peak 1 at/);
    await mentor.getByText("Once you've launched polls in a class, how many students voted shows here.").waitFor();
    await screenshot(mentor, 'panel-analytics');
    expect(await seriousViolations(mentor, 'main')).toEqual([]);

    await encoder?.stop();
    encoder = undefined;
  });

  it("another mentor opening the class's address gets not found, and no stream key", async () => {
    const other = await newAdminPage();
    const keyRequests: string[] = [];
    other.on('request', (request) => request.url().includes('/stream-key') && keyRequests.push(request.url()));
    await signInToAdmin(other, OTHER_MENTOR);
    await other.goto(classUrl);
    await dismissOverlays(other);
    await other.getByRole('heading', { name: 'Class not found', level: 1 }).waitFor({ timeout: 30_000 });
    await other.getByText("This class doesn't exist, or it isn't one of yours.").waitFor();
    expect(await other.getByText(TITLE).count()).toBe(0);
    expect(await other.getByRole('textbox', { name: /Stream key/ }).count()).toBe(0);
    expect(await other.content()).not.toContain(streamKey);
    expect(keyRequests).toEqual([]);
    await screenshot(other, 'panel-other-mentor');
    await other.context().close();
  });
});
