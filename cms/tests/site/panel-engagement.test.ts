/**
 * Q&A, polls and the "I'm lost" meter on the mentor's class page, in the real Strapi admin (the
 * built bundle served by Strapi, Debian's Chromium) against the real realtime server. The two
 * students are socket.io clients holding the grants their own joins give. The mentor drafts a
 * quiz before the class, launches it once live, watches the two votes arrive in the chart,
 * closes and reveals it; pins then answers a student's question; sees the meter's alert when
 * both students signal; and after the class reads the quiz's accuracy and the answered question.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PollDto, QuestionDto } from '../../../src-plugins/live/server/src/realtime/contracts';
import { signInNewStudent, startStrapi, freePort, type TestApp } from '../helpers/strapi';
import { ensureAdminBuild, liveActors, scheduleSession, type Auth, type LiveActors } from '../helpers/live';
import { connectClient, grantOf, type ClassClient } from '../helpers/realtime';
import { CHROMIUM, dismissOverlays, resultsDir, screenshot, signInToAdmin } from './harness';

const MENTOR = { email: 'ananya.rao@skillyug.local', password: 'Skillyug@Mentor1' };
const QUIZ = { question: 'Which keyword declares a block-scoped constant?', options: ['var', 'const', 'let'], correct: 1 };
const QUESTION = 'Does a closure copy the variable or keep a reference to it?';

let app: TestApp;
let who: LiveActors;
let apiUrl: string;
let browser: Browser;
let mentor: Page;
let sessionId: string;
let secondStudentAuth: Auth;
let asha: ClassClient;
let ravi: ClassClient;
let quizId = 0;

/** A student's socket (one browser tab), resolved once the server said `ready`. */
async function connectStudent(auth: Auth): Promise<ClassClient> {
  const grant = await grantOf(app, auth, sessionId);
  expect(grant.capabilities).not.toContain('moderate');
  const client = connectClient(grant.url, { token: grant.token });
  await client.waitForEvent('ready', undefined, 20_000);
  return client;
}

/** Every copy of a poll a student was pushed, in arrival order. */
const pollPushes = (client: ClassClient, id: number): PollDto[] =>
  client.events.filter((e) => e.name === 'poll:updated' && e.payload.id === id).map((e) => e.payload);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The quiz's bar chart, once its accessible description (the total, then every option's count) starts with `counts`. */
const quizChart = (scope: Page | ReturnType<Page['locator']>, counts: string) =>
  scope.getByRole('img', { name: new RegExp(`^Results: ${escape(QUIZ.question)} ${escape(counts)}`) });
const launchedQuiz = (page: Page) => page.getByRole('list', { name: 'Launched polls' }).getByRole('listitem', { name: QUIZ.question });
const queue = (page: Page) => page.getByRole('list', { name: 'Questions waiting' });

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  await ensureAdminBuild();
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  app = await startStrapi({ PUBLIC_URL: apiUrl }, { serveAdminPanel: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  who = await liveActors(app);
  const second = await signInNewStudent(app, 'live-second');
  const enroll = await app.http.post(`/api/courses/${who.course}/enroll`).set(second.auth);
  if (enroll.status !== 200 && enroll.status !== 201) throw new Error(`enroll answered ${enroll.status}`);
  secondStudentAuth = second.auth;
  sessionId = (await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Closures, with a quiz' })).id;

  asha = await connectStudent(who.enrolled.auth);
  ravi = await connectStudent(secondStudentAuth);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
  fs.mkdirSync(resultsDir, { recursive: true });
  const context = await browser.newContext({ baseURL: apiUrl, viewport: { width: 1440, height: 1000 }, locale: 'en-IN' });
  mentor = await context.newPage();
}, 600_000);

afterAll(async () => {
  asha?.close();
  ravi?.close();
  await browser?.close().catch(() => undefined);
  await app?.stop();
  delete process.env.PUBLIC_URL;
});

describe('Q&A, polls and the "I\'m lost" meter on the mentor\'s class page', () => {
  it('drafts a quiz before the class: saved on the server, listed as a draft', async () => {
    await signInToAdmin(mentor, MENTOR);
    await mentor.goto(`/admin/plugins/live/sessions/${encodeURIComponent(sessionId)}`);
    await dismissOverlays(mentor);
    await mentor.getByRole('heading', { name: 'Polls and quizzes' }).waitFor({ timeout: 60_000 });
    await mentor.getByRole('status').filter({ hasText: 'Connected' }).first().waitFor({ timeout: 30_000 });

    await mentor.getByRole('button', { name: 'New poll' }).click();
    const form = mentor.getByRole('form', { name: 'New poll' });
    // An incomplete poll is refused on the page, naming the field.
    await form.getByRole('button', { name: 'Save draft' }).click();
    await form.getByText('must be at least 3 characters').first().waitFor();
    expect((await app.http.get(`/api/live/sessions/${sessionId}/polls`).set(who.owner.auth)).body.data.polls).toEqual([]);

    await form.getByRole('textbox', { name: /^Question/ }).fill(QUIZ.question);
    await form.getByRole('button', { name: 'Add an option' }).click();
    for (const [index, option] of QUIZ.options.entries())
      await form.getByRole('textbox', { name: new RegExp(`^Option ${index + 1}`) }).fill(option);
    await form.getByRole('combobox', { name: /^Correct answer/ }).click();
    await mentor.getByRole('option', { name: `Option ${QUIZ.correct + 1}: ${QUIZ.options[QUIZ.correct]}` }).click();
    expect(await form.getByRole('button', { name: 'Launch now' }).count()).toBe(0); // not before the class
    await form.getByRole('button', { name: 'Save draft' }).click();

    const draft = mentor.getByRole('list', { name: 'Poll drafts' }).getByRole('listitem', { name: QUIZ.question });
    await draft.waitFor({ timeout: 20_000 });
    expect(await draft.textContent()).toContain('Quiz'); // the badge is upper-cased by CSS
    expect(await draft.textContent()).toContain('const (correct)');

    const stored = await app.http.get(`/api/live/sessions/${sessionId}/polls`).set(who.owner.auth);
    expect(stored.status).toBe(200);
    const poll = (stored.body.data.polls as PollDto[]).find((p) => p.question === QUIZ.question);
    expect(poll).toMatchObject({ state: 'draft', kind: 'quiz', options: QUIZ.options, correctOption: QUIZ.correct, durationSeconds: null });
    quizId = poll!.id;
    // Students never see a draft.
    expect(pollPushes(asha, quizId)).toEqual([]);
  });

  it("launches the draft once live; the two students' votes appear in the chart as they come in", async () => {
    expect((await app.http.post(`/api/live/sessions/${sessionId}/start`).set(who.owner.auth).send({})).status).toBe(200);
    const draft = mentor.getByRole('list', { name: 'Poll drafts' }).getByRole('listitem', { name: QUIZ.question });
    const launch = draft.getByRole('button', { name: 'Launch', exact: true });
    await launch.waitFor({ timeout: 30_000 }); // the page notices the class went live
    await launch.click();

    const launched = await asha.waitForEvent('poll:updated', (p) => p.id === quizId && p.state === 'open', 20_000);
    // The answer and the counts stay on the server until the reveal.
    expect(launched.correctOption).toBeNull();
    expect(launched.results).toBeNull();
    await ravi.waitForEvent('poll:updated', (p) => p.id === quizId && p.state === 'open', 20_000);
    const item = launchedQuiz(mentor);
    await quizChart(item, '0 votes in all').waitFor({ timeout: 20_000 });

    expect(await asha.call('poll:vote', { id: quizId, option: QUIZ.correct })).toMatchObject({ ok: true });
    await quizChart(item, '1 vote in all. var: 0 votes (0 %); const: 1 vote (100 %), the correct answer; let: 0 votes (0 %).').waitFor({
      timeout: 20_000,
    });

    expect(await ravi.call('poll:vote', { id: quizId, option: 0 })).toMatchObject({ ok: true });
    await quizChart(item, '2 votes in all. var: 1 vote (50 %); const: 1 vote (50 %), the correct answer; let: 0 votes (0 %).').waitFor({
      timeout: 20_000,
    });
    await item.getByText(/2 votes · 100 % of the 2 watching now/).waitFor({ timeout: 20_000 });
    // The admin scrolls inside its own container: the poll itself, as the mentor sees it.
    await item.screenshot({ path: path.join(resultsDir, 'panel-engagement-poll.png') });
  });

  it('closes voting and reveals the answer: the students get the answer and the counts only now', async () => {
    const item = launchedQuiz(mentor);
    await item.getByRole('button', { name: 'Close voting' }).click();
    await item.getByText('Closed', { exact: true }).waitFor({ timeout: 20_000 });
    await asha.waitForEvent('poll:updated', (p) => p.id === quizId && p.state === 'closed', 20_000);
    expect(pollPushes(asha, quizId).every((p) => p.correctOption === null && p.results === null)).toBe(true);
    expect(asha.events.some((e) => e.name === 'poll:results')).toBe(false);

    await item.getByRole('button', { name: 'Reveal answer and results' }).click();
    const revealed = await asha.waitForEvent('poll:updated', (p) => p.id === quizId && p.revealed, 20_000);
    expect(revealed.correctOption).toBe(QUIZ.correct);
    await item.getByText('Results shown to students').waitFor({ timeout: 20_000 });
    expect(await item.getByRole('button', { name: 'Reveal answer and results' }).count()).toBe(0);
    await item.getByText('50 % answered correctly (1 of 2)').waitFor();
  });

  it("shows a student's question in the queue with its votes; the mentor pins it, then marks it answered", async () => {
    const asked = await asha.call('question:ask', { text: QUESTION });
    expect(asked).toMatchObject({ ok: true, question: { text: QUESTION, state: 'open' } });
    const questionId = (asked.question as QuestionDto).id;
    expect(await ravi.call('question:upvote', { id: questionId })).toMatchObject({ ok: true, voted: true, votes: 1 });

    const item = queue(mentor).getByRole('listitem').filter({ hasText: QUESTION });
    await item.getByText('1 vote', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await item.innerText()).toContain((asked.question as QuestionDto).author.name);

    await item.getByRole('button', { name: 'Pin', exact: true }).click();
    const pinnedItem = queue(mentor).getByRole('listitem', { name: `Answering now: ${QUESTION}` });
    await pinnedItem.waitFor({ timeout: 20_000 });
    await pinnedItem.getByText('Answering now').waitFor();
    await ravi.waitForEvent('question:updated', (q) => q.id === questionId && q.pinned, 20_000);

    await pinnedItem.getByRole('button', { name: 'Mark answered' }).click();
    await mentor
      .getByRole('list', { name: 'Answered questions' })
      .getByRole('listitem')
      .filter({ hasText: QUESTION })
      .waitFor({ timeout: 20_000 });
    expect(await queue(mentor).count()).toBe(0);
    await asha.waitForEvent('question:updated', (q) => q.id === questionId && q.state === 'answered', 20_000);
  });

  it('raises the "I\'m lost" alert when enough of the students watching signal', async () => {
    const meter = mentor.getByRole('meter', { name: /I'm lost/ });
    await meter.waitFor({ timeout: 20_000 });
    expect(await mentor.locator('[data-alert="on"]').count()).toBe(0);

    expect(await asha.call('signal:send', { kind: 'lost' })).toMatchObject({ ok: true });
    expect(await ravi.call('signal:send', { kind: 'slow-down' })).toMatchObject({ ok: true });

    // Two of the two students watching: far above the 20 % that raises the alert.
    const alert = mentor.getByText(/^Alert: \d+ % of the students watching are lost or asked you to slow down\.$/);
    await alert.waitFor({ timeout: 20_000 });
    await mentor.getByText(/1 lost · 1 asked to slow down/).waitFor();
    expect(Number(await meter.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(20);
    // Announced politely: inside a polite live region, not an assertive alert.
    expect(await alert.locator('xpath=ancestor::*[@aria-live][1]').getAttribute('aria-live')).toBe('polite');
    await meter.locator('xpath=ancestor::div[2]').screenshot({ path: path.join(resultsDir, 'panel-engagement-meter.png') });
    await queue(mentor).or(mentor.getByRole('list', { name: 'Answered questions' })).first().screenshot({ path: path.join(resultsDir, 'panel-engagement-questions.png') });
  });

  it("after the class: the quiz's final results and accuracy, and the questions answered and not", async () => {
    expect((await app.http.post(`/api/live/sessions/${sessionId}/end`).set(who.owner.auth).send({})).status).toBe(200);
    const polls = mentor.getByRole('list', { name: 'Polls of this class' });
    await polls.waitFor({ timeout: 30_000 });
    const quiz = polls.getByRole('listitem', { name: QUIZ.question });
    await quiz.getByText('50 % answered correctly (1 of 2)').waitFor({ timeout: 20_000 });
    await quizChart(quiz, '2 votes in all. var: 1 vote (50 %); const: 1 vote (50 %), the correct answer; let: 0 votes (0 %).').waitFor();

    const questions = mentor.getByRole('list', { name: 'Questions asked' });
    const answered = questions.getByRole('listitem').filter({ hasText: QUESTION });
    await answered.getByText('Answered', { exact: true }).waitFor({ timeout: 20_000 });
    await screenshot(mentor, 'panel-engagement-ended');
  });
});
