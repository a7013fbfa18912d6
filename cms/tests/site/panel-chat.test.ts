/**
 * The class chat on the mentor's class page, in the real Strapi admin (the built bundle served by
 * Strapi, Debian's Chromium) against the real realtime server. The student is a socket.io client
 * holding the grant their own join gives. The mentor sees the student's message arrive (as text,
 * never HTML), deletes it and it disappears for both; writes to the class; mutes the student from
 * a message; switches slow mode on.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { Acks, ChatMessageDto, RealtimeGrant, ServerEvents } from '../../../src-plugins/live/server/src/realtime/contracts';
import { startStrapi, freePort, type TestApp } from '../helpers/strapi';
import { ensureAdminBuild, liveActors, scheduleSession, type LiveActors } from '../helpers/live';
import { waitFor } from '../helpers/wait';
import { CHROMIUM, dismissOverlays, resultsDir, screenshot, signInToAdmin } from './harness';

const MENTOR = { email: 'ananya.rao@skillyug.local', password: 'Skillyug@Mentor1' };

let app: TestApp;
let who: LiveActors;
let apiUrl: string;
let browser: Browser;
let mentor: Page;
let sessionId: string;
let student: Socket;
let secondTab: Socket | undefined;
/** The student's name as the chat shows it. */
let studentName = '';
/** Everything the student's socket was pushed, in arrival order. */
const studentReceived: ChatMessageDto[] = [];
const studentMuted: ServerEvents['chat:muted'][] = [];

/** The student's grant from their own join, as the site gets it. */
async function studentGrant(): Promise<RealtimeGrant> {
  const join = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(who.enrolled.auth);
  if (join.status !== 200 || !join.body.data?.realtime) throw new Error(`join answered ${join.status}: ${JSON.stringify(join.body)}`);
  return join.body.data.realtime;
}

/** A student socket (one browser tab), resolved once the server said `ready`. */
async function connectStudent(grant: RealtimeGrant): Promise<Socket> {
  const socket = io(grant.url, { path: grant.path, transports: ['websocket'], auth: { token: grant.token }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

function studentSends(text: string): Promise<Acks['chat:send']> {
  return new Promise((resolve) => student.emit('chat:send', { text }, resolve));
}

const chatLog = (page: Page) => page.getByRole('log', { name: 'Class chat' });

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  await ensureAdminBuild();
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  app = await startStrapi({ PUBLIC_URL: apiUrl }, { serveAdminPanel: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  who = await liveActors(app);
  sessionId = (await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Closures, with the chat' })).id;

  const grant = await studentGrant();
  expect(grant.capabilities).not.toContain('moderate');
  student = await connectStudent(grant);
  student.on('chat:message', (message) => studentReceived.push(message));
  student.on('chat:muted', (muted) => studentMuted.push(muted));

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  fs.mkdirSync(resultsDir, { recursive: true });
  const context = await browser.newContext({ baseURL: apiUrl, viewport: { width: 1440, height: 1000 }, locale: 'en-IN' });
  mentor = await context.newPage();
}, 600_000);

afterAll(async () => {
  student?.disconnect();
  secondTab?.disconnect();
  await browser?.close().catch(() => undefined);
  await app?.stop();
  delete process.env.PUBLIC_URL;
});

describe("the class chat on the mentor's class page", () => {
  it("shows a student's message as they send it, as text", async () => {
    await signInToAdmin(mentor, MENTOR);
    await mentor.goto(`/admin/plugins/live/sessions/${encodeURIComponent(sessionId)}`);
    await dismissOverlays(mentor);
    await mentor.getByRole('heading', { name: 'Class chat' }).waitFor({ timeout: 60_000 });
    await mentor.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });

    const text = 'Why does the closure keep the old value? <b>bold?</b>';
    const sent = await studentSends(text);
    expect(sent).toMatchObject({ ok: true, message: { text, author: { role: 'student' } } });
    if (sent.ok) studentName = sent.message.author!.name;

    const item = chatLog(mentor).getByRole('listitem').filter({ hasText: 'Why does the closure keep the old value?' });
    await item.waitFor({ timeout: 20_000 });
    // Rendered as typed: the markup is text on screen, not an element.
    expect(await item.innerText()).toContain('<b>bold?</b>');
    expect(await item.locator('b').count()).toBe(0);
  });

  it('deletes the message for everyone: gone from the panel, the student told, gone from the history', async () => {
    const text = 'this message will be deleted';
    const sent = await studentSends(text);
    if (!sent.ok) throw new Error(`send refused: ${sent.error.message}`);
    const item = chatLog(mentor).getByRole('listitem').filter({ hasText: text });
    await item.waitFor({ timeout: 20_000 });

    await item.getByRole('button', { name: /^Moderate .+'s message$/ }).click();
    await mentor.getByRole('menuitem', { name: 'Delete message' }).click();

    await item.waitFor({ state: 'detached', timeout: 20_000 });
    await mentor.getByText('Message deleted for everyone.').first().waitFor();
    await chatLog(mentor).getByText('A moderator deleted a message.').first().waitFor();
    const removal = await waitFor(
      () => studentReceived.find((m) => m.system?.event === 'message-deleted' && m.system.removed?.includes(sent.message.seq)),
      20_000,
      "the student's copy of the deletion"
    );
    expect(removal.type).toBe('SYSTEM');
    const history = await app.http.get(`/api/live/sessions/${sessionId}/chat`).set(who.enrolled.auth);
    expect(history.status).toBe(200);
    expect(history.body.data.messages.map((m: ChatMessageDto) => m.seq)).not.toContain(sent.message.seq);
    expect(history.body.data.messages.map((m: ChatMessageDto) => m.text)).toContain('Why does the closure keep the old value? <b>bold?</b>');
  });

  it('writes to the class from the send box; the student gets it with the mentor badge role', async () => {
    const box = mentor.getByRole('textbox', { name: /^Message to the class/ });
    await box.fill('Good question: the closure captures the variable, not its value.');
    await box.press('Enter');
    const received = await waitFor(() => studentReceived.find((m) => m.text.startsWith('Good question: the closure')), 20_000, "the mentor's message at the student");
    expect(received.author).toMatchObject({ role: 'mentor' });
    await chatLog(mentor).getByRole('listitem').filter({ hasText: 'Good question: the closure' }).getByText('Mentor', { exact: true }).waitFor();
    expect(await box.inputValue()).toBe('');
  });

  it('mutes the student for 5 minutes from their message: they are told, and their next message is refused', async () => {
    const sent = await studentSends('one more question');
    if (!sent.ok) throw new Error(`send refused: ${sent.error.message}`);
    const item = chatLog(mentor).getByRole('listitem').filter({ hasText: 'one more question' });
    await item.waitFor({ timeout: 20_000 });
    await item.getByRole('button', { name: /^Moderate .+'s message$/ }).click();
    await mentor.getByRole('menuitem', { name: /^Mute .+ for 5 min$/ }).click();

    await mentor.getByText(/is muted until/).first().waitFor({ timeout: 20_000 });
    const muted = await waitFor(() => studentMuted.find((m) => m.until), 20_000, 'chat:muted at the student');
    const minutesLeft = (new Date(muted.until!).getTime() - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(4);
    expect(minutesLeft).toBeLessThanOrEqual(5);
    expect(await studentSends('am I muted?')).toMatchObject({ ok: false, error: { code: 'muted' } });
  });

  it('switches slow mode on: the room is told', async () => {
    await mentor.getByRole('combobox', { name: /^Slow mode/ }).click();
    await mentor.getByRole('option', { name: 'One message every 10 s' }).click();
    const notice = await waitFor(() => studentReceived.find((m) => m.system?.event === 'slow-mode'), 20_000, 'the slow-mode system message');
    expect(notice.system?.slowModeSeconds).toBe(10);
    await chatLog(mentor).getByText('Slow mode is on: students can send one message every 10 s.').first().waitFor();
    await screenshot(mentor, 'panel-chat');
  });

  it('while live, lists who is watching from the live connections, with their open tabs', async () => {
    expect((await app.http.post(`/api/live/sessions/${sessionId}/start`).set(who.owner.auth).send({})).status).toBe(200);
    const watching = mentor.getByRole('list', { name: 'Students watching' });
    await watching.getByText(studentName, { exact: true }).waitFor({ timeout: 30_000 });
    // A second tab: still one student watching, now with two connections (the list is asked again within 20 s).
    secondTab = await connectStudent(await studentGrant());
    await watching.getByRole('listitem').filter({ hasText: studentName }).getByText('2 tabs').waitFor({ timeout: 40_000 });
    await screenshot(mentor, 'panel-chat-live');
  });

  it('after the class: the attendance with watch time, the chat as it stands, and the moderation log', async () => {
    const told = new Promise<ServerEvents['bye']>((resolve) => student.once('bye', resolve));
    expect((await app.http.post(`/api/live/sessions/${sessionId}/end`).set(who.owner.auth).send({})).status).toBe(200);
    expect((await told).reason).toBe('class-over');

    // The design system's table is an ARIA grid.
    const attendance = mentor.getByRole('grid', { name: 'Students who attended' });
    await attendance.waitFor({ timeout: 30_000 });
    const row = attendance.getByRole('row').filter({ hasText: studentName });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toMatch(/\d+ (s|min)/);

    const history = mentor.getByRole('region', { name: 'Chat history' });
    await history.getByText('Good question: the closure captures the variable, not its value.').waitFor({ timeout: 20_000 });
    expect(await history.getByText('this message will be deleted').count()).toBe(0);

    const log = mentor.getByRole('list', { name: 'Moderation actions' });
    await log.waitFor({ timeout: 20_000 });
    const entries = await log.innerText();
    expect(entries).toContain(`deleted a message by ${studentName}`);
    expect(entries).toContain(`muted ${studentName} for 5 min`);
    expect(entries).toContain('turned slow mode on (one message every 10 s)');
    await screenshot(mentor, 'panel-chat-ended');
  });
});
