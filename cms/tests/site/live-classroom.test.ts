/**
 * The live classroom in a real browser, with a real stream: an enrolled student waits for a
 * scheduled class, the mentor goes live and Debian's ffmpeg publishes to the embedded RTMP
 * ingest, the page turns into the player by itself and the picture plays (mpegts.js over WS-FLV
 * through Strapi's port); a student who isn't enrolled gets the course's call to action; the
 * mentor ends the class under the watching student, whose leave is recorded. No stream key and
 * no Strapi token in the page; axe on the waiting room and the player.
 */
import { spawnSync } from 'node:child_process';
import type { Page, Response } from 'playwright-core';
import { attendeeRow, liveActors, publishTestPattern, scheduleSession, sessionRow, streamKeyOf, type LiveActors } from '../helpers/live';
import { eventually, screenshot, seriousViolations, signIn, startStack, type Stack } from './harness';

let stack: Stack;
let who: LiveActors;
let session: { id: string };
let obs: { server: string; streamKey: string };
let encoder: ReturnType<typeof publishTestPattern> | undefined;

/** Everything the browser received as a page (the server's HTML, before any script ran). */
const documents: { url: string; html: string }[] = [];
const consoleLines: string[] = [];
let student: Page;
let navigations = 0;

beforeAll(async () => {
  const ffmpeg = spawnSync('ffmpeg', ['-version']);
  if (ffmpeg.error || ffmpeg.status !== 0) throw new Error('ffmpeg is needed for the live classroom tests: .ci/run installs it (apt-get install ffmpeg)');
  // A generous grace: a stalled encoder on a loaded machine must not end the class mid-test.
  // (The harness gives Strapi its PUBLIC_URL, so playback URLs point at the Strapi under test.)
  stack = await startStack({ LIVE_RECONNECT_GRACE_SECONDS: '20' });
  who = await liveActors(stack.app);
  // Ten minutes ahead: the waiting room asks every 15 s (every minute when over an hour away).
  session = await scheduleSession(stack.app, who.owner.auth, {
    courseId: who.course,
    title: 'Closures, live',
    description: 'We build a counter with closures, then take questions.',
    scheduledAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  });
  obs = await streamKeyOf(stack.app, who.owner.auth, session.id);
  expect(obs.server).toBe(`rtmp://127.0.0.1:${process.env.LOCAL_RTMP_PORT}/live`);
});

afterAll(async () => {
  await encoder?.stop();
  await stack?.stop();
  if (process.env.SITE_TEST_LOGS) console.log(consoleLines.join('\n'));
});

const classroom = () => `/live/${session.id}?course=javascript-foundations`;
const liveState = (page: Page) => page.locator('[data-live-state]').first().getAttribute('data-live-state');
const playerState = (page: Page) => page.getByTestId('live-player').getAttribute('data-player-state');
const videoTime = (page: Page) => page.getByTestId('live-video').evaluate((video: HTMLVideoElement) => video.currentTime);

describe('the live classroom', () => {
  it('a student not enrolled gets the enroll page, not the player', async () => {
    const page = await stack.newPage();
    await signIn(page, who.stranger.email, who.stranger.password);
    const response = await page.goto(`/live/${session.id}`);
    expect(response!.status()).toBe(403);
    expect(await liveState(page)).toBe('error');
    expect(await page.locator('[data-live-problem]').getAttribute('data-live-problem')).toBe('not-enrolled');
    expect(await page.locator('h1').textContent()).toBe('Enroll to join this class');
    // The course the API names: free, so "Enroll free" (a form to the course's enroll action).
    const enroll = page.getByTestId('live-enroll');
    expect(await enroll.getByRole('button', { name: 'Enroll free' }).count()).toBe(1);
    expect(await enroll.locator('form').getAttribute('action')).toBe('/courses/javascript-foundations/enroll');
    expect(await enroll.getByRole('link', { name: 'About the course' }).getAttribute('href')).toBe('/courses/javascript-foundations');
    expect(await page.getByTestId('live-player').count()).toBe(0);
    expect(await page.getByTestId('live-video').count()).toBe(0);
    expect(await page.getByTestId('live-waiting-room').count()).toBe(0);
    expect(await page.content()).not.toContain('.flv?token=');
    await screenshot(page, 'live-enroll');
    await page.context().close();
  });

  it('waits in the waiting room, then turns into the playing video by itself when the mentor goes live', async () => {
    student = await stack.newPage();
    student.on('console', (message) => consoleLines.push(`[browser ${message.type()}] ${message.text()}`));
    student.on('response', (response: Response) => {
      if (response.request().resourceType() === 'document') void response.text().then((html) => documents.push({ url: response.url(), html }), () => undefined);
    });
    student.on('framenavigated', (frame) => {
      if (frame === student.mainFrame()) navigations += 1;
    });

    await signIn(student, who.enrolled.email, who.enrolled.password, classroom());
    expect(student.url()).toBe(`${stack.siteUrl}${classroom()}`);
    expect(await liveState(student)).toBe('waiting');
    expect(await student.getByTestId('live-status-badge').getAttribute('data-status')).toBe('SCHEDULED');
    expect(await student.getByTestId('live-title').textContent()).toBe('Closures, live');
    const room = student.getByTestId('live-waiting-room');
    expect(await room.isVisible()).toBe(true);
    // The countdown ticks in the browser.
    const countdown = student.getByTestId('live-countdown');
    await eventually(async () => expect(await countdown.textContent()).toMatch(/^Starts in (9|10) min( \d+ s)?\.$/));
    const first = await countdown.textContent();
    await eventually(async () => expect(await countdown.textContent()).not.toBe(first), 4_000);
    expect(await countdown.isVisible()).toBe(true);
    expect(await student.getByTestId('live-player').count()).toBe(0);
    await screenshot(student, 'live-waiting');
    expect(await seriousViolations(student)).toEqual([]);

    // The mentor presses Go live, and OBS (ffmpeg) publishes with the panel's server and key.
    const navigationsBefore = navigations;
    const start = await stack.app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({});
    expect(start.status).toBe(200);
    expect(start.body.data.status).toBe('LIVE');
    encoder = publishTestPattern(obs.server, obs.streamKey);
    const startedAt = Date.now();

    // No reload from the test: the waiting room's next poll (≤ 15 s) reloads into the player.
    await student.locator('[data-live-state="live"] [data-testid="live-player"]').waitFor({ timeout: 40_000 });
    expect(navigations).toBeGreaterThan(navigationsBefore);
    await eventually(async () => expect(await playerState(student)).toBe('live'), 25_000, 250).catch((error) => {
      throw new Error(`${error.message}\nffmpeg: ${encoder?.stderr()}\n${consoleLines.join('\n')}`);
    });
    const liveAfterMs = Date.now() - startedAt;
    expect(await liveState(student)).toBe('live');
    expect(await student.getByTestId('live-player').getAttribute('data-player-kind')).toBe('flv');
    expect(await student.getByTestId('live-status-badge').getAttribute('data-status')).toBe('LIVE');

    // The picture really plays: the clock moves, muted (autoplay) with Unmute offered.
    const t0 = await videoTime(student);
    await eventually(async () => expect((await videoTime(student)) - t0).toBeGreaterThan(1), 10_000, 100);
    expect(await student.getByTestId('live-video').evaluate((video: HTMLVideoElement) => ({ paused: video.paused, width: video.videoWidth }))).toEqual({ paused: false, width: 426 });
    expect(await student.getByTestId('live-mute').getAttribute('data-muted')).toBe('true');
    expect(await student.getByTestId('live-status').textContent()).toContain('You’re watching live.');

    // Close to the edge: the delay readout stays under ~3 s.
    const latency = student.getByTestId('live-latency');
    await latency.waitFor({ timeout: 5_000 });
    expect(await latency.isVisible()).toBe(true);
    const delay = Number(await latency.getAttribute('data-latency'));
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(3);

    await screenshot(student, 'live-player');
    expect(await seriousViolations(student)).toEqual([]);

    // The dashboard says it's on now, not when it was scheduled for.
    const dashboard = await student.context().newPage();
    try {
      await dashboard.goto('/dashboard');
      const item = dashboard.locator(`[data-testid=live-class][data-session="${session.id}"]`);
      await eventually(async () => {
        await dashboard.reload();
        expect(await item.getAttribute('data-status')).toBe('LIVE');
      }, 20_000, 500);
      expect(await item.getByTestId('live-now').count()).toBe(1);
      expect(await item.getByTestId('live-class-when').textContent()).toBe('Happening now');
      expect(await item.locator('time').count()).toBe(0);
      expect(await item.getByRole('link', { name: 'Join now: Closures, live' }).count()).toBe(1);
      await screenshot(dashboard, 'dashboard-live-now');
    } finally {
      await dashboard.close();
    }
    console.log(`live classroom: the player was playing ${liveAfterMs} ms after Go live, delay ${delay.toFixed(2)} s`);
  });

  it('shows "the class has ended" when the mentor ends it, and records the leave', async () => {
    const row = await sessionRow(stack.app, session.id);
    const watching = await attendeeRow(stack.app, session.id, who.enrolled.id);
    expect(watching.activeSince).not.toBeNull();
    // A little more watch time to count: the student sees another second of the class.
    const watched = await videoTime(student);
    await eventually(async () => expect((await videoTime(student)) - watched).toBeGreaterThanOrEqual(1), 10_000, 100);

    const leave = student.waitForRequest((request) => request.method() === 'POST' && request.url() === `${stack.siteUrl}/api/live/${session.id}/leave`, { timeout: 25_000 });
    const end = await stack.app.http.post(`/api/live/sessions/${session.id}/end`).set(who.owner.auth).send({});
    expect(end.status).toBe(200);
    expect(end.body.data.status).toBe('ENDED');
    const endedAt = Date.now();

    await eventually(async () => expect(await playerState(student)).toBe('ended'), 20_000, 100);
    const endedAfterMs = Date.now() - endedAt;
    expect(await liveState(student)).toBe('ended');
    expect(await student.getByTestId('live-status').textContent()).toMatch(/ended/);
    // The page as it was: nothing about a recording until it is rendered again (then: below).
    expect(await student.locator('main').textContent()).not.toMatch(/recording/i);
    expect(await student.getByTestId('live-ended-link').getAttribute('href')).toBe('/courses/javascript-foundations');
    expect(await student.getByTestId('live-ended-link').isVisible()).toBe(true);
    expect(await student.getByTestId('live-mute').count()).toBe(0);
    await screenshot(student, 'live-ended');

    // The player sent its leave beacon, and the attendance is closed with the time watched.
    const beacon = await (await leave).response();
    expect(beacon?.status()).toBe(200);
    const left = (await beacon!.json()) as { leftAt: string | null; watchDuration: number };
    expect(left.leftAt).not.toBeNull();
    const attendee = await eventually(async () => {
      const current = await attendeeRow(stack.app, session.id, who.enrolled.id);
      expect(current.activeSince).toBeNull();
      return current;
    });
    expect(attendee.sessionId).toBe(row.id);
    expect(attendee.watchDuration).toBeGreaterThan(0);
    expect(left.watchDuration).toBe(attendee.watchDuration);
    console.log(`live classroom: "ended" shown ${endedAfterMs} ms after End; watched ${attendee.watchDuration} s`);
  });

  it('after a reload, still names the class and its course, and says "ended" once', async () => {
    const response = await student.reload();
    expect(response!.status()).toBe(200);
    expect(await liveState(student)).toBe('ended');
    expect(await student.getByTestId('live-title').textContent()).toBe('Closures, live');
    expect(await student.getByTestId('live-status-badge').getAttribute('data-status')).toBe('ENDED');
    expect(await student.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'JavaScript Foundations' }).getAttribute('href')).toBe('/courses/javascript-foundations');
    expect(await student.getByTestId('live-ended').getByRole('link', { name: 'Back to the course' }).getAttribute('href')).toBe('/courses/javascript-foundations');
    const text = (await student.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(text.match(/has ended/gi)).toHaveLength(1);
    expect(await student.getByTestId('live-player').count()).toBe(0);
    // The class was recorded: once processed (seconds), the ended page links to its replay.
    const link = await eventually(async () => {
      await student.reload();
      const recording = student.getByTestId('live-ended-recording');
      // Until it is ready the same place says it is being processed; then it is the link.
      expect(await recording.textContent()).toBe('Watch the recording');
      return recording.getAttribute('href');
    }, 60_000, 500);
    const recordingRow = await stack.app.strapi.db.query('plugin::live.live-recording').findOne({ where: { sessionDocumentId: session.id } });
    expect(link).toBe(`/recordings/${recordingRow.documentId}`);
    await screenshot(student, 'live-ended-reloaded');
  });

  it('never puts the stream key or the Strapi token in the page', async () => {
    const [channel, keyQuery] = obs.streamKey.split('?');
    const secret = new URLSearchParams(keyQuery).get('key')!;
    expect(channel.length).toBeGreaterThan(5);
    expect(secret.length).toBeGreaterThan(20);
    const cookies = await student.context().cookies();
    const tokens = cookies.filter((c) => c.name.endsWith('sy_at') || c.name.endsWith('sy_rt')).map((c) => c.value);
    expect(tokens).toHaveLength(2);
    const bearer = who.enrolled.auth.Authorization.replace('Bearer ', '');

    // The server's HTML of the waiting room and of the player (after the page reloaded itself), and the live DOM.
    const pages = documents.filter((d) => d.url.includes(`/live/${session.id}`));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.some((d) => d.html.includes('data-live-state="waiting"'))).toBe(true);
    expect(pages.some((d) => d.html.includes('data-live-state="live"') && d.html.includes('.flv?token='))).toBe(true);
    for (const html of [...pages.map((d) => d.html), await student.content()]) {
      expect(html).not.toContain(secret);
      expect(html).not.toContain(obs.streamKey);
      for (const token of [...tokens, bearer]) expect(html).not.toContain(token.slice(-24));
    }
  });
});

describe('the Content-Security-Policy', () => {
  it('blocked nothing in the waiting room, the playing classroom (mpegts.js, WebSocket FLV) or the dashboard', () => {
    expect(stack.cspViolations).toEqual([]);
  });
});
