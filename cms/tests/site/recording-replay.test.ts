/**
 * A recorded live class replayed on the site, in Chromium, from the real pipeline: Debian's ffmpeg
 * publishes a few seconds to the built-in ingest with recording on while the enrolled student
 * chats and asks and the mentor launches a poll (cms/tests/helpers/recordings.ts), the class
 * ends, processing makes the MP4. Then the student finds the class on the course page and the
 * dashboard, opens its recording and plays it: the chat message appears when the video reaches
 * its moment and not before, a chapter marker seeks the video and the panels jump there (and
 * back), a link that has expired is renewed on its own. A student who isn't enrolled gets the
 * course's call to action; published as a preview lesson, the recording plays for a visitor.
 * axe on the pages; no Content-Security-Policy violation.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ReplayTimeline } from '../../../src-plugins/live/server/src/recordings/contracts';
import { liveActors, type LiveActors } from '../helpers/live';
import { recordClass, type RecordedClass } from '../helpers/recordings';
import { eventually, resultsDir, screenshot, seriousViolations, signIn, startStack, type Stack } from './harness';

let stack: Stack;
let who: LiveActors;
let recorded: RecordedClass;
let timeline: ReplayTimeline;
let storageDir: string;
let student: Page;
const consoleLines: string[] = [];

beforeAll(async () => {
  const ffmpeg = spawnSync('ffmpeg', ['-version']);
  if (ffmpeg.error || ffmpeg.status !== 0) throw new Error('ffmpeg is needed for the recording replay test: .ci/run installs it (apt-get install ffmpeg)');
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-replay-'));
  // A short grace: the class ends soon after the encoder stops; recordings on disk in a fresh folder.
  stack = await startStack({ LIVE_RECONNECT_GRACE_SECONDS: '2', LOCAL_STORAGE_DIR: storageDir });
  who = await liveActors(stack.app);
  recorded = await recordClass(stack.app, who, { seconds: 8, title: 'Closures, recorded' });
  const res = await stack.app.http.get(`/api/live/recordings/${recorded.recordingId}/timeline`).set(who.enrolled.auth);
  expect(res.status).toBe(200);
  timeline = res.body.data;
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (storageDir) fs.rmSync(storageDir, { recursive: true, force: true });
  if (process.env.SITE_TEST_LOGS) console.log(consoleLines.join('\n'));
});

const recordingPath = () => `/recordings/${recorded.recordingId}`;
const chatMessage = () => timeline.chat.find((m) => m.text === recorded.chatText)!;
const videoTime = (page: Page) => page.getByTestId('replay-video').evaluate((video: HTMLVideoElement) => video.currentTime);

/** Plays the video muted (no user gesture in a test, and muted playback is always allowed). */
const play = (page: Page) =>
  page.getByTestId('replay-video').evaluate(async (video: HTMLVideoElement) => {
    video.muted = true;
    await video.play();
  });

describe('finding the class', () => {
  it('the course page lists the ended class with a link to its recording', async () => {
    student = await stack.newPage();
    student.on('console', (message) => consoleLines.push(`[browser ${message.type()}] ${message.text()}`));
    await signIn(student, who.enrolled.email, who.enrolled.password);

    await student.goto('/courses/javascript-foundations');
    const item = student.locator(`[data-testid=past-class][data-session="${recorded.sessionId}"]`);
    expect(await item.getAttribute('data-recording-status')).toBe('ready');
    expect(await item.textContent()).toContain('Closures, recorded');
    const watch = item.getByRole('link', { name: 'Watch the recording: Closures, recorded' });
    expect(await watch.getAttribute('href')).toBe(recordingPath());
    // Ended classes are no longer among the upcoming ones.
    expect(await student.locator(`[data-testid=live-class][data-session="${recorded.sessionId}"]`).count()).toBe(0);
    await student.getByTestId('past-classes').screenshot({ path: path.join(resultsDir, 'course-past-classes.png') });
    expect(await seriousViolations(student)).toEqual([]);
  });

  it('so does the dashboard, with the course named', async () => {
    await student.goto('/dashboard');
    const item = student.locator(`[data-testid=past-class][data-session="${recorded.sessionId}"]`);
    expect(await item.getByRole('link', { name: 'JavaScript Foundations' }).getAttribute('href')).toBe('/courses/javascript-foundations');
    expect(await item.getByTestId('past-class-watch').getAttribute('href')).toBe(recordingPath());
    expect(await seriousViolations(student)).toEqual([]);
  });
});

describe('the replay', () => {
  it('plays, and the class’s chat message appears when the video reaches its moment, not before', async () => {
    const message = chatMessage();
    expect(message).toBeDefined();
    expect(message.atMs).toBeGreaterThan(500);
    expect(message.atMs).toBeLessThan(timeline.durationMs);

    await student.getByRole('link', { name: 'Watch the recording: Closures, recorded' }).click();
    await student.waitForURL(`**${recordingPath()}`);
    expect(await student.getByTestId('recording-title').textContent()).toBe('Closures, recorded');
    expect(await student.getByTestId('replay').getAttribute('data-replay-state')).toBe('ready');
    expect(await student.getByTestId('replay').getAttribute('data-playback-kind')).toBe('mp4');
    expect(await student.getByTestId('replay-recorded').textContent()).toMatch(/^Recorded live on \d{1,2} \w{3} \d{4}/);
    // The chapter markers appear once the island runs: one per question and poll.
    await student.getByTestId('replay-chapter-marker').first().waitFor();
    expect(await student.getByTestId('replay-chapter-marker').count()).toBe(timeline.chapters.length);
    expect(timeline.chapters.map((c) => c.kind).sort()).toEqual(['poll', 'question']);

    // At 0:00 the message hasn't been sent yet.
    const item = student.locator(`[data-testid=replay-message][data-id="${message.id}"]`);
    expect(await item.count()).toBe(0);

    // Note the video's clock at the instant the message enters the page.
    await student.evaluate((id) => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid=replay-video]')!;
      const observer = new MutationObserver(() => {
        if (document.querySelector(`[data-testid=replay-message][data-id="${id}"]`)) {
          document.documentElement.dataset.messageShownAt = String(video.currentTime);
          observer.disconnect();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    }, message.id);

    const t0 = await videoTime(student);
    await play(student);
    await eventually(async () => expect((await videoTime(student)) - t0).toBeGreaterThan(1), 15_000, 100);
    await item.waitFor({ timeout: timeline.durationMs + 10_000 });
    const shownAtMs = Number(await student.evaluate(() => document.documentElement.dataset.messageShownAt)) * 1000;
    console.log(`replay: the message sent at ${message.atMs} ms appeared when the video was at ${shownAtMs.toFixed(0)} ms`);
    expect(shownAtMs).toBeGreaterThanOrEqual(message.atMs);
    // timeupdate comes every ~250 ms; a loaded machine may be slower, never seconds late.
    expect(shownAtMs - message.atMs).toBeLessThan(1_500);
    expect(await item.getByTestId('replay-message-text').textContent()).toBe(recorded.chatText);
    await screenshot(student, 'recording-replay');
    expect(await seriousViolations(student)).toEqual([]);
  });

  it('a chapter marker seeks the video and the panels jump there; seeking back takes them back', async () => {
    const video = student.getByTestId('replay-video');
    await video.evaluate((element: HTMLVideoElement) => element.pause());
    const poll = timeline.chapters.find((c) => c.kind === 'poll')!;
    const question = timeline.chapters.find((c) => c.kind === 'question')!;

    // Back to the start: the chat and the poll aren't there yet.
    await student.getByTestId('replay-seek').focus();
    await student.keyboard.press('Home');
    await eventually(async () => expect(await videoTime(student)).toBeLessThan(0.5));
    await eventually(async () => expect(await student.getByTestId('replay-message').count()).toBe(0));
    await student.getByTestId('replay-tab-polls').click();
    expect(await student.getByTestId('replay-poll').count()).toBe(0);

    // The poll's marker: the video goes there, the Polls tab shows the poll, open.
    await student.getByRole('button', { name: poll.label, exact: true }).click();
    await eventually(async () => expect(Math.abs((await videoTime(student)) * 1000 - poll.atMs)).toBeLessThan(100));
    const shownPoll = student.getByTestId('replay-poll');
    await eventually(async () => expect(await shownPoll.count()).toBe(1));
    expect(await shownPoll.getByRole('heading', { name: recorded.pollQuestion }).count()).toBe(1);
    expect(await student.getByTestId('replay-tab-polls').getAttribute('aria-selected')).toBe('true');
    expect(await student.getByTestId('replay-chapter-now').textContent()).toContain(poll.label);
    expect(await student.locator('[data-testid=replay-chapter-marker][data-current=true]').getAttribute('data-kind')).toBe('poll');
    // The chat jumped there too: the message, sent before the poll, is there.
    await student.getByTestId('replay-tab-chat').click();
    if (chatMessage().atMs <= poll.atMs) expect(await student.locator(`[data-testid=replay-message][data-id="${chatMessage().id}"]`).count()).toBe(1);

    // The question's marker: the Q&A tab with the question asked by then.
    await student.getByRole('button', { name: question.label, exact: true }).click();
    await eventually(async () => expect(Math.abs((await videoTime(student)) * 1000 - question.atMs)).toBeLessThan(100));
    expect(await student.getByTestId('replay-tab-qa').getAttribute('aria-selected')).toBe('true');
    await eventually(async () => expect(await student.getByTestId('replay-question-text').allTextContents()).toContain(recorded.questionText));
    await screenshot(student, 'recording-replay-chapter');
    expect(await seriousViolations(student)).toEqual([]);
  });

  it('on a phone, the video and its timeline stay on screen above the panels, and nothing is wider than the screen', async () => {
    const phone = await stack.newPage({ width: 375, height: 812 });
    await signIn(phone, who.enrolled.email, who.enrolled.password);
    await phone.goto(recordingPath());
    await phone.getByTestId('replay-chapter-marker').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.getByTestId('replay-panels').scrollIntoViewIfNeeded();
    const box = await phone.getByTestId('replay-video').boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(-1);
    expect(box!.y + box!.height).toBeLessThanOrEqual(812);
    await screenshot(phone, 'recording-replay-phone');
    await phone.context().close();
  });

  it('renews a link that has expired and plays on', async () => {
    // The page as a student finds it after leaving the tab for longer than the link lives: the
    // signed URL in the page is refused (as the storage refuses an expired one).
    const page = await stack.newPage();
    await signIn(page, who.enrolled.email, who.enrolled.password);
    let refused = 0;
    await page.route(/\/api\/live\/files\/.*video\.mp4/, async (route) => {
      if (refused === 0) {
        refused += 1;
        await route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: 'This link has expired' }) });
      } else {
        await route.continue();
      }
    });
    const renewal = page.waitForResponse((response) => response.url() === `${stack.siteUrl}/api/recordings/${recorded.recordingId}`);
    await page.goto(recordingPath());
    expect((await renewal).status()).toBe(200);
    await eventually(async () => expect(await page.getByTestId('replay').getAttribute('data-renewals')).toBe('1'), 10_000);
    expect(refused).toBe(1);
    await play(page);
    await eventually(async () => expect(await videoTime(page)).toBeGreaterThan(0.5), 10_000, 100);
    expect(await page.getByTestId('replay-problem').count()).toBe(0);
    await page.context().close();
  });
});

describe('who may watch', () => {
  it('a student who isn’t enrolled gets the course’s call to action', async () => {
    const page = await stack.newPage();
    await signIn(page, who.stranger.email, who.stranger.password);
    const response = await page.goto(recordingPath());
    expect(response!.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Enroll in JavaScript Foundations to watch its recordings');
    const enroll = page.getByTestId('recording-enroll');
    expect(await enroll.getByRole('button', { name: 'Enroll free' }).count()).toBe(1);
    expect(await enroll.getByRole('link', { name: 'About JavaScript Foundations' }).getAttribute('href')).toBe('/courses/javascript-foundations');
    expect(await page.getByTestId('replay-video').count()).toBe(0);
    expect(await page.content()).not.toContain('/api/live/files/');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'recording-enroll');
    await page.context().close();
  });

  it('a visitor is sent to sign in first', async () => {
    const page = await stack.newPage();
    await page.goto(recordingPath());
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(recordingPath());
    await page.context().close();
  });

  it('published as a preview lesson, it plays on the lesson page for anyone', async () => {
    const courseModule = await stack.app.strapi.db.query('api::module.module').findOne({
      where: { course: { documentId: who.course }, publishedAt: { $notNull: true } },
      select: ['documentId'],
    });
    const published = await stack.app.http
      .post(`/live/recordings/${recorded.recordingId}/publish`)
      .set(who.owner.auth)
      .send({ moduleId: courseModule.documentId, title: 'Closures, the recording', isPreview: true });
    expect(published.status).toBe(200);
    expect(published.body.data.state).toBe('published');
    const lessonPath = `/learn/javascript-foundations/${published.body.data.lessonSlug}`;

    const visitor = await stack.newPage();
    // The site hears of the new lesson from Strapi (revalidation) within moments.
    await eventually(async () => expect((await visitor.goto(lessonPath))!.status()).toBe(200), 10_000, 250);
    expect(await visitor.getByTestId('preview-banner').count()).toBe(1);
    const replay = visitor.getByTestId('lesson-recording').getByTestId('replay');
    expect(await replay.getAttribute('data-replay-state')).toBe('ready');
    await visitor.getByTestId('replay-chapter-marker').first().waitFor();
    await play(visitor);
    await eventually(async () => expect(await videoTime(visitor)).toBeGreaterThan(0.5), 10_000, 100);
    expect(await seriousViolations(visitor)).toEqual([]);
    await screenshot(visitor, 'recording-lesson');
    await visitor.context().close();
  });
});

describe('the Content-Security-Policy', () => {
  it('blocked nothing on the course page, the dashboard, the replay or the lesson', () => {
    expect(stack.cspViolations).toEqual([]);
  });
});
