/**
 * The classroom chat on the student site, in Chromium against the real stack (Strapi with its
 * realtime server, the built site): two enrolled students in their own browser profiles and the
 * class's mentor (a socket.io client holding the grant the mentor's own join gives, as the panel
 * connects) chat while the class waits to start. They see each other's messages in the same order
 * with names and the mentor's badge, as text; the mentor deletes a message and it disappears for
 * both; a reload keeps the history; a student sending too fast is told how long to wait; slow mode
 * holds a student back; a banned student is told why, loses the chat, and can't come back.
 * axe on the classroom with the chat.
 */
import type { Page } from 'playwright-core';
import type { ChatMessageDto } from '../../../src-plugins/live/server/src/realtime/contracts';
import { liveActors, scheduleSession, type LiveActors } from '../helpers/live';
import { connectClient, grantOf, type ClassClient } from '../helpers/realtime';
import { signInNewStudent } from '../helpers/strapi';
import { waitFor } from '../helpers/wait';
import { eventually, screenshot, seriousViolations, signIn, startStack, type Stack } from './harness';

let stack: Stack;
let who: LiveActors;
let second: Awaited<ReturnType<typeof signInNewStudent>>;
let sessionId: string;
let mentor: ClassClient;
let asha: Page;
let ravi: Page;
const consoleLines: string[] = [];

const ASHA = 'Asha Verma';
const RAVI = 'Ravi Kumar';

const setDisplayName = (id: number, displayName: string) =>
  stack.app.strapi.db.query('plugin::users-permissions.user').update({ where: { id }, data: { displayName } });

const classroom = () => `/live/${sessionId}?course=javascript-foundations`;
const chat = (page: Page) => page.getByTestId('live-chat');
const connected = (page: Page) => page.locator('[data-testid="live-chat"][data-chat-state="connected"]').waitFor({ timeout: 20_000 });
const messageItem = (page: Page, text: string) => chat(page).getByTestId('chat-message').filter({ hasText: text });

/** What a page's chat shows, in order: author (or "system") and text. */
const shown = (page: Page) =>
  chat(page)
    .getByTestId('chat-message')
    .evaluateAll((items) =>
      items.map((item) => {
        const author = item.querySelector('[data-testid="chat-author"]')?.textContent ?? 'system';
        const text = item.querySelector('[data-testid="chat-text"]')?.textContent ?? item.textContent ?? '';
        return `${author}: ${text}`;
      })
    );

async function openClassroom(email: string, password: string): Promise<Page> {
  const page = await stack.newPage();
  page.on('console', (message) => consoleLines.push(`[browser ${message.type()}] ${message.text()}`));
  await signIn(page, email, password, classroom());
  await connected(page);
  return page;
}

/** Types into the send box and presses Enter (the student's way of sending). */
async function send(page: Page, text: string) {
  const input = chat(page).getByTestId('chat-input');
  await input.fill(text);
  await input.press('Enter');
}

beforeAll(async () => {
  stack = await startStack();
  who = await liveActors(stack.app);
  second = await signInNewStudent(stack.app, 'live-second');
  const enroll = await stack.app.http.post(`/api/courses/${who.course}/enroll`).set(second.auth);
  expect([200, 201]).toContain(enroll.status);
  await setDisplayName(who.enrolled.id, ASHA);
  await setDisplayName(second.id, RAVI);
  // The chat is open while the class waits to start: no stream needed.
  sessionId = (
    await scheduleSession(stack.app, who.owner.auth, {
      courseId: who.course,
      title: 'Closures, with the chat',
      scheduledAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    })
  ).id;
  const grant = await grantOf(stack.app, who.owner.auth, sessionId);
  expect(grant.capabilities).toContain('moderate');
  mentor = connectClient(grant.url, { token: grant.token });
  await mentor.waitForEvent('ready', () => true, 10_000);
});

afterAll(async () => {
  mentor?.close();
  await stack?.stop();
  if (process.env.SITE_TEST_LOGS) console.log(consoleLines.join('\n'));
});

describe('the classroom chat', () => {
  it('two students and the mentor see each other’s messages in the same order, with names, the mentor’s badge, and as text', async () => {
    asha = await openClassroom(who.enrolled.email, who.enrolled.password);
    ravi = await openClassroom(second.email, second.password);
    expect(await chat(asha).getByText('No messages yet. Say hello to the class!').isVisible()).toBe(true);
    // The grant is in the page; the student's Strapi token never is.
    const html = await asha.content();
    expect(html).not.toContain(who.enrolled.auth.Authorization.replace('Bearer ', ''));

    await send(asha, 'Hello from Asha');
    await messageItem(ravi, 'Hello from Asha').waitFor();
    const mentorName = mentor.ready().me.name as string;
    const welcome = await mentor.call('chat:send', { text: 'Welcome, everyone' });
    expect(welcome.ok).toBe(true);
    // Shift+Enter is a new line; Enter sends.
    const input = chat(ravi).getByTestId('chat-input');
    await input.fill('Hi Asha');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    expect(await input.inputValue()).toBe('Hi Asha\nsecond line');
    await input.press('Enter');
    await eventually(async () => expect(await input.inputValue()).toBe(''));
    // Markup is text: shown as typed, nothing rendered.
    await send(asha, '<img src=x onerror="window.__pwned=1"><b>bold?</b>');

    const expected = [`${ASHA}: Hello from Asha`, `${mentorName}: Welcome, everyone`, `${RAVI}: Hi Asha\nsecond line`, `${ASHA}: <img src=x onerror="window.__pwned=1"><b>bold?</b>`];
    for (const page of [asha, ravi]) {
      await eventually(async () => expect(await shown(page)).toEqual(expected), 10_000);
      expect(await chat(page).locator('img, b').count()).toBe(0);
      expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
      const fromMentor = messageItem(page, 'Welcome, everyone');
      expect(await fromMentor.getByTestId('chat-mentor-badge').textContent()).toBe('Mentor');
      expect(await messageItem(page, 'Hello from Asha').getByTestId('chat-mentor-badge').count()).toBe(0);
    }
    // The line break survives on screen (pre-wrap), not only in the DOM.
    const lines = await messageItem(asha, 'second line').getByTestId('chat-text').evaluate((el) => el.getClientRects().length && Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
    expect(lines).toBe(2);
    // Each student's own message is marked.
    expect(await messageItem(asha, 'Hello from Asha').getByText('(you)').count()).toBe(1);
    expect(await messageItem(ravi, 'Hello from Asha').getByText('(you)').count()).toBe(0);

    // A screen reader hears the others' messages (not one's own), summarised rather than one by one.
    await eventually(async () => expect(await chat(asha).getByTestId('chat-announcer').textContent()).toMatch(new RegExp(`${RAVI}: Hi Asha second line$`)), 10_000);

    // The mentor's socket got the same messages in the same order.
    await waitFor(() => mentor.messages().length >= 4, 5_000, 'the mentor to receive the four messages');
    expect(mentor.messages().map((m: ChatMessageDto) => `${m.author?.name}: ${m.text}`)).toEqual(expected);
    expect(await chat(asha).getByTestId('chat-viewers').textContent()).toMatch(/^\d+ watching$/);

    await screenshot(asha, 'live-chat');
    expect(await seriousViolations(asha)).toEqual([]);
    expect(stack.cspViolations).toEqual([]);
  });

  it('a message the mentor deletes disappears for both students', async () => {
    const target = mentor.messages().find((m: ChatMessageDto) => m.text === 'Hi Asha\nsecond line') as ChatMessageDto;
    const deleted = await mentor.call('chat:delete', { seq: target.seq });
    expect(deleted).toEqual({ ok: true });
    for (const page of [asha, ravi]) {
      await chat(page).locator(`[data-testid="chat-message"][data-seq="${target.seq}"]`).waitFor({ state: 'detached', timeout: 10_000 });
      await messageItem(page, 'A message was removed.').waitFor();
      expect(await messageItem(page, 'second line').count()).toBe(0);
    }
  });

  it('a reload keeps the history (without the deleted message)', async () => {
    const before = await shown(asha);
    expect(before).toContain('system: A message was removed.');
    await asha.reload();
    await connected(asha);
    await eventually(async () => expect(await shown(asha)).toEqual(before), 10_000);
  });

  it('says "Reconnecting…" when the network drops, and "You’re back" with exactly what was missed when it returns', async () => {
    const status = chat(asha).getByTestId('chat-status');
    await asha.context().setOffline(true);
    await asha.locator('[data-testid="live-chat"][data-chat-state="reconnecting"]').waitFor({ timeout: 10_000 });
    expect(await status.textContent()).toBe('Reconnecting…');
    const missed = await mentor.call('chat:send', { text: 'Sent while Asha was away' });
    expect(missed.ok).toBe(true);
    await asha.context().setOffline(false);
    await connected(asha);
    await eventually(async () => expect(await status.textContent()).toBe('You’re back.'), 10_000);
    await messageItem(asha, 'Sent while Asha was away').waitFor();
    expect(await shown(asha)).toEqual(await shown(ravi));
  });

  it('on a phone the chat sits under the class, fits the screen, and nothing jumps as it connects and fills', async () => {
    const phone = await stack.newPage({ width: 390, height: 844 });
    // Every layout shift of each document, from its first paint (Chromium's Layout Instability API).
    await phone.context().addInitScript(() => {
      (window as any).__layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as any[]) if (!entry.hadRecentInput) (window as any).__layoutShift += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await signIn(phone, who.enrolled.email, who.enrolled.password, classroom());
    await connected(phone);
    const room = await phone.getByTestId('live-waiting-room').boundingBox();
    const panel = await chat(phone).boundingBox();
    expect(panel!.y).toBeGreaterThanOrEqual(room!.y + room!.height);
    expect(panel!.width).toBeLessThanOrEqual(390);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const heightBefore = panel!.height;
    await mentor.call('chat:send', { text: 'A message for the phone' });
    await messageItem(phone, 'A message for the phone').waitFor();
    expect((await chat(phone).boundingBox())!.height).toBe(heightBefore);
    // The classroom's cumulative layout shift while the chat connected and filled: the server
    // renders the panel at its final size, and messages scroll inside it.
    expect(await phone.evaluate(() => (window as any).__layoutShift)).toBeLessThan(0.001);
    await screenshot(phone, 'live-chat-phone');
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.context().close();
  });

  it('a student sending too fast is told how long to wait, and the Send button waits', async () => {
    const feedback = chat(ravi).getByTestId('chat-feedback');
    // The burst allowance is a few messages; the sustained one bounds how many can ever go through.
    for (let i = 1; i <= 25; i += 1) {
      await send(ravi, `Quick ${i}`);
      const outcome = await waitFor(
        async () => ((await feedback.getAttribute('data-code')) === 'rate-limited' ? 'refused' : (await chat(ravi).getByTestId('chat-input').inputValue()) === '' ? 'sent' : null),
        10_000,
        `message ${i} to be sent or refused`
      );
      if (outcome === 'refused') break;
    }
    expect(await feedback.getAttribute('data-code')).toBe('rate-limited');
    expect(await feedback.textContent()).toMatch(/^You’re sending messages too fast\. You can send again in \d+ s\.$/);
    expect(await chat(ravi).getByTestId('chat-send').getAttribute('aria-disabled')).toBe('true');
    // The refused message is still in the box.
    expect(await chat(ravi).getByTestId('chat-input').inputValue()).toMatch(/^Quick \d+$/);
    await screenshot(ravi, 'live-chat-rate-limited');
  });

  it('slow mode is announced to the class and holds a student back between messages', async () => {
    const on = await mentor.call('chat:slow-mode', { seconds: 10 });
    expect(on).toEqual({ ok: true, seconds: 10 });
    await messageItem(asha, 'Slow mode on: one message every 10 s.').waitFor();
    await chat(asha).getByTestId('chat-slow-mode').waitFor();
    await send(asha, 'One at a time');
    await messageItem(ravi, 'One at a time').waitFor();
    const feedback = chat(asha).getByTestId('chat-feedback');
    await eventually(async () => expect(await feedback.textContent()).toMatch(/^Slow mode is on: one message every 10 s\. You can send again in \d+ s\.$/));
    expect(await chat(asha).getByTestId('chat-send').getAttribute('aria-disabled')).toBe('true');
    const off = await mentor.call('chat:slow-mode', { seconds: 0 });
    expect(off.ok).toBe(true);
    await messageItem(asha, 'Slow mode off.').waitFor();
    await chat(asha).getByTestId('chat-slow-mode').waitFor({ state: 'detached' });
  });

  it('a banned student is told why and loses the chat; their messages vanish for the others; rejoining is refused', async () => {
    const ban = await mentor.call('chat:ban', { userId: second.id, reason: 'Spamming the class' });
    expect(ban).toEqual({ ok: true });
    const closed = chat(ravi).getByTestId('chat-closed');
    await closed.waitFor({ timeout: 10_000 });
    expect(await closed.getAttribute('data-reason')).toBe('banned');
    expect(await closed.textContent()).toMatch(/^You were removed from this class by its mentor\./);
    expect(await chat(ravi).getByTestId('chat-input').count()).toBe(0);
    expect(await chat(ravi).getAttribute('data-chat-state')).toBe('closed');
    // Everything Ravi wrote is gone for Asha; a system line says what happened.
    await messageItem(asha, 'A student was removed from the class.').waitFor({ timeout: 10_000 });
    await eventually(async () => expect((await shown(asha)).filter((line) => line.startsWith(`${RAVI}:`))).toEqual([]));

    const response = await ravi.reload();
    expect(response!.status()).toBe(403);
    expect(await ravi.locator('[data-live-problem]').getAttribute('data-live-problem')).toBe('banned');
    expect(await ravi.locator('h1').textContent()).toBe('You were removed from this class');
    expect(await ravi.getByTestId('live-chat').count()).toBe(0);
    await screenshot(ravi, 'live-chat-banned');
  });
});
