/**
 * The classroom's Q&A, polls and "I'm lost" on the student site, in Chromium against the real
 * stack with a real local stream (ffmpeg publishing to the embedded RTMP ingest, mpegts.js
 * playing it over WS-FLV): the class's mentor (a socket.io client with the grant the mentor's own
 * join gives, as the panel connects) launches a quiz, two enrolled students in their own browser
 * profiles vote, and the results with the right answer appear when the mentor reveals them; a
 * question is asked, upvoted by the other student and pinned by the mentor (both see it
 * highlighted at the top); "I'm lost" reaches the mentor's meter and shows its cooldown.
 *
 * In sync with the video: a poll must appear when the student's video reaches the moment the
 * mentor launched it, not when the socket message arrives. The page is instrumented from outside
 * the site's code (an init script): it notes when the socket frame announcing the launch arrives
 * and what the newest buffered video was then (the picture that was live at the launch), when the
 * video's clock reaches that picture, and when the poll appears. The test prints these and
 * asserts the poll did not appear before the video reached the launch.
 */
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { liveActors, publishTestPattern, scheduleSession, streamKeyOf, type LiveActors } from '../helpers/live';
import { connectClient, grantOf, type ClassClient } from '../helpers/realtime';
import { signInNewStudent } from '../helpers/strapi';
import { waitFor } from '../helpers/wait';
import { eventually, screenshot, seriousViolations, signIn, startStack, type Stack } from './harness';

let stack: Stack;
let who: LiveActors;
let second: Awaited<ReturnType<typeof signInNewStudent>>;
let sessionId: string;
let encoder: ReturnType<typeof publishTestPattern> | undefined;
let mentor: ClassClient;
let asha: Page;
let ravi: Page;
const consoleLines: string[] = [];

const ASHA = 'Asha Verma';
const RAVI = 'Ravi Kumar';

/**
 * How early a poll may appear relative to the video reaching the launch and still pass: the
 * video's clock advances a frame at a time (40 ms at the test pattern's 25 fps) and the probe
 * samples it every 5 ms, so "reached" is known to within ~45 ms; React commits the poll within a
 * few ms of its timer. 100 ms covers these and nothing more: a poll
 * shown at the socket's arrival would be early by the whole player delay (hundreds of ms).
 */
const EARLY_TOLERANCE_MS = 100;
/**
 * How late it may appear: mpegts.js chases the live edge by jumping ahead when the delay grows
 * past 1.5 s, which moves the video past the launch sooner than the delay read at arrival said.
 */
const LATE_TOLERANCE_MS = 1_500;

const setDisplayName = (id: number, displayName: string) =>
  stack.app.strapi.db.query('plugin::users-permissions.user').update({ where: { id }, data: { displayName } });

const classroom = () => `/live/${sessionId}?course=javascript-foundations`;
const panel = (page: Page) => page.getByTestId('classroom');
const tab = (page: Page, id: 'chat' | 'qa' | 'poll') => panel(page).getByTestId(`classroom-tab-${id}`);
const currentPoll = (page: Page, id?: number) => panel(page).locator(id === undefined ? '[data-testid="poll-current"]' : `[data-testid="poll-current"][data-poll-id="${id}"]`);
const questionItem = (page: Page, text: string) => panel(page).getByTestId('question').filter({ hasText: text });

/** What the page's probe noted about one launched poll (epoch ms; media in the video's seconds). */
type PollProbe = { arrivedAt: number; mediaEdge: number | null; latencyAtArrival: number | null; reachedAt: number | null; appearedAt: number | null; timerAtAppearance: string | null };

/**
 * Instruments a page before the site's code runs: every socket.io frame announcing a poll
 * (`42["poll:updated",…]`) is timed as it arrives, with the video's newest buffered media then;
 * a 5 ms sampler notes when the video's clock reaches that media and when the poll's panel
 * appears (with the countdown it showed).
 */
function instrumentPolls() {
  const probes: Record<string, PollProbe> = {};
  (window as any).__polls = probes;
  const video = () => document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
  const Native = window.WebSocket;
  class Observed extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data !== 'string' || !event.data.startsWith('42["poll:updated"')) return;
        const at = Date.now();
        const [, poll] = JSON.parse(event.data.slice(2)) as [string, { id: number; state: string }];
        if (poll.state !== 'open' || probes[poll.id]) return;
        const element = video();
        const edge = element && element.buffered.length ? element.buffered.end(element.buffered.length - 1) : null;
        probes[poll.id] = { arrivedAt: at, mediaEdge: edge, latencyAtArrival: edge === null || !element ? null : edge - element.currentTime, reachedAt: null, appearedAt: null, timerAtAppearance: null };
      });
    }
  }
  window.WebSocket = Observed as typeof WebSocket;
  // Sampled every few ms (timers, unlike animation frames, are never paused for a headless page).
  setInterval(() => {
    const now = Date.now();
    const element = video();
    for (const [id, probe] of Object.entries(probes)) {
      if (probe.reachedAt === null && element && probe.mediaEdge !== null && element.currentTime >= probe.mediaEdge) probe.reachedAt = now;
      if (probe.appearedAt === null) {
        const shown = document.querySelector(`[data-testid="poll-current"][data-poll-id="${id}"]`);
        if (shown) {
          probe.appearedAt = now;
          probe.timerAtAppearance = shown.querySelector('[data-testid="poll-timer"]')?.textContent ?? null;
        }
      }
    }
  }, 5);
}

const probeOf = (page: Page, pollId: number) => page.evaluate((id) => ((window as any).__polls?.[id] ?? null) as PollProbe | null, pollId);

async function openClassroom(email: string, password: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await stack.newPage(viewport ?? {});
  page.on('console', (message) => consoleLines.push(`[browser ${message.type()}] ${message.text()}`));
  await page.context().addInitScript(instrumentPolls);
  await signIn(page, email, password, classroom());
  await page.locator('[data-live-state="live"] [data-testid="live-player"][data-player-state="live"]').waitFor({ timeout: 45_000 });
  await page.locator('[data-testid="live-chat"][data-chat-state="connected"]').waitFor({ timeout: 20_000 });
  return page;
}

/** The mentor's socket creates and launches a poll; resolves with its id. */
async function launchPoll(poll: Record<string, unknown>): Promise<number> {
  const ack = await mentor.call('poll:create', { poll, launch: true });
  if (!ack.ok) throw new Error(`poll:create answered ${JSON.stringify(ack)}`);
  expect(ack.poll.state).toBe('open');
  return ack.poll.id as number;
}

async function vote(page: Page, pollId: number, option: string) {
  const poll = currentPoll(page, pollId);
  await tab(page, 'poll').click();
  await poll.getByRole('radio', { name: option }).check();
  await poll.getByTestId('poll-vote').click();
  await eventually(async () => expect(await poll.getByTestId('poll-my-vote').textContent()).toMatch(new RegExp(`^You voted: ${option}\\.`)), 10_000);
}

beforeAll(async () => {
  const ffmpeg = spawnSync('ffmpeg', ['-version']);
  if (ffmpeg.error || ffmpeg.status !== 0) throw new Error('ffmpeg is needed for the live classroom tests: .ci/run installs it (apt-get install ffmpeg)');
  stack = await startStack({ LIVE_RECONNECT_GRACE_SECONDS: '20' });
  who = await liveActors(stack.app);
  second = await signInNewStudent(stack.app, 'live-engaged');
  const enroll = await stack.app.http.post(`/api/courses/${who.course}/enroll`).set(second.auth);
  expect([200, 201]).toContain(enroll.status);
  await setDisplayName(who.enrolled.id, ASHA);
  await setDisplayName(second.id, RAVI);
  sessionId = (
    await scheduleSession(stack.app, who.owner.auth, {
      courseId: who.course,
      title: 'Closures, with questions',
      scheduledAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    })
  ).id;
  const obs = await streamKeyOf(stack.app, who.owner.auth, sessionId);
  const start = await stack.app.http.post(`/api/live/sessions/${sessionId}/start`).set(who.owner.auth).send({});
  expect(start.status).toBe(200);
  encoder = publishTestPattern(obs.server, obs.streamKey, { seconds: 600 });
  const grant = await grantOf(stack.app, who.owner.auth, sessionId);
  expect(grant.capabilities).toContain('moderate');
  mentor = connectClient(grant.url, { token: grant.token });
  await mentor.waitForEvent('ready', () => true, 10_000);
  asha = await openClassroom(who.enrolled.email, who.enrolled.password);
  ravi = await openClassroom(second.email, second.password);
});

afterAll(async () => {
  mentor?.close();
  await encoder?.stop();
  await stack?.stop();
  if (process.env.SITE_TEST_LOGS) console.log(consoleLines.join('\n'));
});

describe('polls in the classroom', () => {
  it('a poll appears when the student’s video reaches the moment the mentor launched it, with the full answering time from then', async () => {
    const pollId = await launchPoll({ question: 'Can you see the counter?', options: ['Yes', 'No'], durationSeconds: 30 });
    await currentPoll(asha, pollId).waitFor({ timeout: 15_000 });
    const probe = await waitFor(async () => {
      const current = await probeOf(asha, pollId);
      return current && current.appearedAt !== null && current.reachedAt !== null ? current : null;
    }, 15_000, 'the probe to see the video reach the launch and the poll appear');
    const shown = currentPoll(asha, pollId);
    const islandLatency = Number(await shown.getAttribute('data-latency'));
    const playerLatency = Number(await asha.getByTestId('live-latency').getAttribute('data-latency'));
    const appearedAfterArrival = probe.appearedAt! - probe.arrivedAt;
    const videoReachedAfterArrival = probe.reachedAt! - probe.arrivedAt;
    console.log(
      `poll sync: socket arrival → poll shown ${appearedAfterArrival} ms; socket arrival → video reached the launch ${videoReachedAfterArrival} ms; ` +
        `player delay behind live at arrival ${(probe.latencyAtArrival! * 1000).toFixed(0)} ms (as the island read it ${(islandLatency * 1000).toFixed(0)} ms; the player's readout now ${(playerLatency * 1000).toFixed(0)} ms); ` +
        `shown − video reached ${probe.appearedAt! - probe.reachedAt!} ms`
    );
    // The stream plays behind live: a poll shown at the socket's arrival would be early by this much.
    expect(probe.latencyAtArrival).toBeGreaterThan(0);
    // Not before the video reached the launch (nor long after).
    expect(probe.appearedAt!).toBeGreaterThanOrEqual(probe.reachedAt! - EARLY_TOLERANCE_MS);
    expect(probe.appearedAt! - probe.reachedAt!).toBeLessThan(LATE_TOLERANCE_MS);
    // Its countdown started when this student saw it: the full 30 s.
    expect(probe.timerAtAppearance).toMatch(/^(30|29) s left$/);
    // A newly launched poll opens its tab (the student wasn't typing).
    expect(await tab(asha, 'poll').getAttribute('aria-selected')).toBe('true');
    await currentPoll(ravi, pollId).waitFor({ timeout: 15_000 });
    expect(await mentor.call('poll:close', { id: pollId })).toMatchObject({ ok: true });
    await eventually(async () => expect(await currentPoll(asha, pollId).getAttribute('data-poll-state')).toBe('closed'), 10_000);
  });

  it('two students vote once on a quiz; the results, the right answer and each one’s verdict appear when the mentor reveals them', async () => {
    const pollId = await launchPoll({ question: 'What does a closure keep?', options: ['Its scope', 'A copy of the DOM', 'Nothing'], correctOption: 0 });
    for (const page of [asha, ravi]) {
      const poll = currentPoll(page, pollId);
      await poll.waitFor({ timeout: 15_000 });
      expect(await poll.getByText('Your vote is final: you can’t change it once sent.').isVisible()).toBe(true);
      // Before the reveal no student sees counts or the answer.
      expect(await poll.getByTestId('poll-results').count()).toBe(0);
    }
    await vote(asha, pollId, 'Its scope');
    await vote(ravi, pollId, 'A copy of the DOM');
    for (const page of [asha, ravi]) {
      // Voted: the options are gone (one vote, final) and the results are still the mentor's.
      expect(await currentPoll(page, pollId).getByTestId('poll-option').count()).toBe(0);
      expect(await currentPoll(page, pollId).getByTestId('poll-my-vote').textContent()).toMatch(/The mentor will show the results\.$/);
    }
    // The server counted both (the mentor sees live counts).
    await mentor.waitForEvent('poll:results', (r) => r.id === pollId && r.total === 2, 10_000);

    expect(await mentor.call('poll:close', { id: pollId })).toMatchObject({ ok: true });
    expect(await mentor.call('poll:reveal', { id: pollId })).toMatchObject({ ok: true });
    for (const page of [asha, ravi]) {
      const results = currentPoll(page, pollId).getByTestId('poll-results');
      await results.waitFor({ timeout: 10_000 });
      const lines = await results
        .getByTestId('poll-result')
        .evaluateAll((items) => items.map((item) => [item.querySelector('[data-testid="poll-result-line"]')?.textContent, item.getAttribute('data-correct')]));
      expect(lines).toEqual([
        ['Its scope — 1 vote (50 %)', 'true'],
        ['A copy of the DOM — 1 vote (50 %)', 'false'],
        ['Nothing — 0 votes (0 %)', 'false'],
      ]);
      expect(await results.getByText('✓ correct answer').count()).toBe(1);
    }
    expect(await currentPoll(asha, pollId).getByTestId('poll-verdict').textContent()).toBe('You were right!');
    expect(await currentPoll(ravi, pollId).getByTestId('poll-verdict').textContent()).toBe('Not quite: the answer was Its scope.');
    // The class's polls so far, with each one's answers and quiz score.
    const history = panel(ravi).getByTestId('poll-history');
    expect(await history.getByTestId('quiz-score').textContent()).toBe('Quiz score: 0 of 1 right.');
    expect(await history.getByTestId('poll-past').first().textContent()).toContain('Can you see the counter?');
    expect(await panel(asha).getByTestId('quiz-score').textContent()).toBe('Quiz score: 1 of 1 right.');
    // Screen readers heard that the results are in (once, politely).
    await eventually(async () => expect(await panel(asha).getByTestId('classroom-announcer').textContent()).toBe('Results are in: What does a closure keep?'));
    await screenshot(asha, 'live-classroom-quiz');
    expect(await seriousViolations(asha)).toEqual([]);
  });
});

describe('Q&A in the classroom', () => {
  it('a question is asked, upvoted by another student and pinned by the mentor; both see it highlighted at the top', async () => {
    // Keyboard: the tabs follow the arrow keys.
    await tab(asha, 'chat').click();
    await tab(asha, 'chat').press('ArrowRight');
    expect(await tab(asha, 'qa').getAttribute('aria-selected')).toBe('true');
    expect(await asha.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('classroom-tab-qa');
    await tab(ravi, 'chat').click();

    const early = 'Is a closure created on every call?';
    const asked = 'Why does the counter keep its value between calls?';
    const input = panel(asha).getByTestId('qa-input');
    await input.fill(early);
    await panel(asha).getByTestId('qa-ask').click();
    await questionItem(asha, early).waitFor({ timeout: 10_000 });
    await input.fill(asked);
    await panel(asha).getByTestId('qa-ask').click();
    await questionItem(asha, asked).waitFor({ timeout: 10_000 });
    expect(await panel(asha).getByTestId('qa-feedback').textContent()).toBe('Your question was sent to the mentor.');
    // Her own question: no upvote for her, a Withdraw instead.
    expect(await questionItem(asha, asked).getByTestId('question-upvote').count()).toBe(0);
    expect(await questionItem(asha, asked).getByTestId('question-withdraw').count()).toBe(1);

    // Ravi, on the chat tab, sees that two new questions came in.
    const badge = tab(ravi, 'qa').getByTestId('classroom-badge');
    await eventually(async () => expect(await badge.locator('[aria-hidden="true"]').textContent()).toBe('2'), 10_000);
    expect(await badge.textContent()).toBe('2, 2 new');
    await tab(ravi, 'qa').click();
    const upvote = questionItem(ravi, asked).getByTestId('question-upvote');
    expect(await upvote.getAttribute('aria-pressed')).toBe('false');
    await upvote.click();
    await eventually(async () => expect(await upvote.getAttribute('aria-pressed')).toBe('true'));
    for (const page of [asha, ravi]) {
      await eventually(async () => expect(await questionItem(page, asked).getByTestId('question-votes').textContent()).toMatch(/^1( vote)?$/), 10_000);
      // More votes: first.
      await eventually(async () => expect(await panel(page).getByTestId('question').first().getByTestId('question-text').textContent()).toBe(asked), 10_000);
    }
    // Withdrawn: gone for everyone.
    await questionItem(asha, early).getByTestId('question-withdraw').click();
    for (const page of [asha, ravi]) await questionItem(page, early).waitFor({ state: 'detached', timeout: 10_000 });

    const mine = await mentor.waitForEvent('question:updated', (q) => q.text === asked, 10_000);
    expect(await mentor.call('question:pin', { id: mine.id, pinned: true })).toEqual({ ok: true });
    for (const page of [asha, ravi]) {
      const item = questionItem(page, asked);
      await eventually(async () => expect(await item.getAttribute('data-pinned')).toBe('true'), 10_000);
      expect(await item.getByTestId('question-pinned').textContent()).toBe('Being answered now');
      expect(await panel(page).getByTestId('question').first().getAttribute('data-question-id')).toBe(String(mine.id));
      // Highlighted: it looks different from an ordinary question.
      const [pinnedStyle, plainStyle] = await Promise.all([item.evaluate((el) => getComputedStyle(el).backgroundColor), asha.evaluate(() => getComputedStyle(document.body).backgroundColor)]);
      expect(pinnedStyle).not.toBe(plainStyle);
      await eventually(async () => expect(await panel(page).getByTestId('classroom-announcer').textContent()).toBe(`The mentor is answering: ${asked}`));
    }
    await screenshot(ravi, 'live-classroom-qa');
    expect(await seriousViolations(ravi)).toEqual([]);
  });
});

describe('"I’m lost"', () => {
  it('reaches the mentor’s meter, says it is anonymous to other students, and shows its cooldown', async () => {
    const lost = panel(ravi).getByTestId('signal-lost');
    expect(await panel(ravi).getByText('Other students don’t see who sends these; the mentor sees how many of the class do.').isVisible()).toBe(true);
    await lost.click();
    const feedback = panel(ravi).getByTestId('signal-feedback');
    await eventually(async () => expect(await feedback.textContent()).toMatch(/^Sent: the mentor knows someone is lost\. You can signal again in \d+ s\.$/), 10_000);
    const cooldown = Number(await feedback.getAttribute('data-cooldown'));
    expect(cooldown).toBeGreaterThan(0);
    expect(await lost.getAttribute('aria-disabled')).toBe('true');
    expect(await panel(ravi).getByTestId('signal-slow-down').getAttribute('aria-disabled')).toBe('true');
    // It counts down.
    await eventually(async () => expect(Number(await feedback.getAttribute('data-cooldown'))).toBeLessThan(cooldown), 5_000);
    await mentor.waitForEvent('signals:meter', (meter) => meter.lost >= 1, 10_000);
  });
});

describe('on a phone', () => {
  it('the video stays on screen while the student uses the panels below it', async () => {
    const phone = await openClassroom(who.enrolled.email, who.enrolled.password, { width: 360, height: 740 });
    const video = phone.getByTestId('live-video');
    const classroomBox = (await panel(phone).boundingBox())!;
    const videoBox = (await video.boundingBox())!;
    expect(classroomBox.y).toBeGreaterThanOrEqual(videoBox.y + videoBox.height);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Scrolled down through the Q&A to the panels' end: the picture is still in view.
    await tab(phone, 'qa').click();
    await panel(phone).evaluate((element) => element.scrollIntoView({ block: 'end' }));
    const pinnedBox = (await video.boundingBox())!;
    expect(pinnedBox.y).toBeGreaterThanOrEqual(0);
    expect(pinnedBox.y + pinnedBox.height).toBeLessThanOrEqual(740);
    expect(await phone.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await screenshot(phone, 'live-classroom-phone');
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.context().close();
    expect(stack.cspViolations).toEqual([]);
  });
});
