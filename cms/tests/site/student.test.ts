/**
 * A student in a real browser: sign-up with the emailed code, the session cookies, enrolling in
 * a free course and completing lessons, buying a paid course through the sandbox checkout
 * (a failure, a cancel, then success), being refused a course they don't own, resuming a video,
 * session refresh, sign-out and password reset.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { codeIn } from '../helpers/mailbox';
import { PASSWORD, eventually, newEmail, screenshot, seriousViolations, signIn, signUp, startStack, type Stack } from './harness';

let stack: Stack;
let videoLesson: { documentId: string; slug: string };

/** The first lesson of the free JavaScript course gets a real (10 s) video, as an editor would upload it. */
async function attachVideo() {
  const { strapi } = stack.app;
  const [course] = (await strapi.documents('api::course.course' as any).findMany({
    filters: { slug: 'javascript-foundations' },
    status: 'published',
    populate: { modules: { sort: 'order:asc', populate: { lessons: { sort: 'order:asc', fields: ['slug'] } } } },
  } as any)) as any[];
  const lesson = course.modules[0].lessons[0];
  const filepath = path.join(__dirname, 'fixtures', 'lesson-clip.webm');
  const [file] = await strapi
    .plugin('upload')
    .service('upload')
    .upload({
      data: { fileInfo: { name: 'lesson-clip.webm', alternativeText: 'Lesson video' } },
      files: { filepath, originalFilename: 'lesson-clip.webm', mimetype: 'video/webm', size: fs.statSync(filepath).size },
    });
  const lessons = strapi.documents('api::lesson.lesson' as any);
  await lessons.update({ documentId: lesson.documentId, data: { video: file.id } } as any);
  await lessons.publish({ documentId: lesson.documentId } as any);
  return { documentId: lesson.documentId as string, slug: lesson.slug as string };
}

beforeAll(async () => {
  stack = await startStack();
  videoLesson = await attachVideo();
});
afterAll(async () => {
  await stack?.stop();
});

const flash = async (page: Page) => (await page.locator('[data-flash]').textContent())?.trim();
const fieldError = (page: Page, field: string) => page.locator(`[data-field-error="${field}"]`).textContent();

const email = newEmail('asha');
let page: Page;

describe('a new student', () => {
  it('signs up: errors next to the fields (browser and server), the emailed code, then signed in', async () => {
    page = await stack.newPage();
    await page.goto('/courses/javascript-foundations');
    await page.getByRole('link', { name: 'Create a free account' }).click();
    await page.waitForURL('**/register?next=%2Fcourses%2Fjavascript-foundations');

    // In the browser: zod refuses before anything is sent, and focus goes to the first problem.
    await page.getByLabel('Your name').fill('Asha Verma');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await fieldError(page, 'email')).toBe('Enter a valid email address.');
    expect(await fieldError(page, 'password')).toBe('Use at least 10 characters.');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('email');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toContain('/register');

    // Without JavaScript the server applies the same rules and answers with the same messages.
    const plain = await stack.newPage({ javaScriptEnabled: false });
    await plain.goto('/register');
    await plain.getByLabel('Email').fill(newEmail('nojs'));
    await plain.getByLabel('Password').fill('alllowercase123');
    const [response] = await Promise.all([plain.waitForResponse((r) => r.request().method() === 'POST'), plain.getByRole('button', { name: 'Create account' }).click()]);
    expect(response.status()).toBe(400);
    expect(await fieldError(plain, 'password')).toBe('Mix upper- and lower-case letters and at least one digit.');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/verify?next=%2Fcourses%2Fjavascript-foundations');
    expect(await flash(page)).toContain(`We sent a 6-digit code to ${email}`);
    expect(await page.getByLabel('Email').inputValue()).toBe(email);

    const code = codeIn(await stack.mailbox.waitFor(email));
    // A wrong code: the API's answer appears next to the code field.
    await page.getByLabel('6-digit code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForLoadState();
    expect(await fieldError(page, 'code')).toMatch(/That code is not right/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL('**/courses/javascript-foundations');
    expect(await flash(page)).toBe('Your email is verified. Welcome to Skillyug!');
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Asha Verma');
    expect(await page.getByTestId('course-cta').getByRole('button', { name: 'Enroll free' }).count()).toBe(1);
  });

  it('keeps the tokens in httpOnly SameSite=Lax cookies, out of reach of page scripts', async () => {
    const cookies = await page.context().cookies();
    const session = cookies.filter((c) => c.name === 'sy_at' || c.name === 'sy_rt');
    expect(session.map((c) => c.name).sort()).toEqual(['sy_at', 'sy_rt']);
    for (const cookie of session) expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false }); // Secure in production
    const visible = await page.evaluate(() => ({ cookie: document.cookie, local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage) }));
    const token = session.find((c) => c.name === 'sy_at')!.value;
    expect(JSON.stringify(visible)).not.toContain(token.slice(0, 20));
    expect(visible.cookie).not.toContain('sy_');
    expect(await page.content()).not.toContain(token.slice(0, 20));
  });

  it('refuses a cross-site form post (CSRF)', async () => {
    const response = await fetch(`${stack.siteUrl}/logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example', Cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
      body: '',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    const json = await fetch(`${stack.siteUrl}/api/checkout/order`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: '{}',
    });
    expect(json.status).toBe(403);
  });

  it('sees empty states on a new dashboard', async () => {
    await page.goto('/dashboard');
    expect(await page.getByTestId('welcome').textContent()).toBe('Welcome back, Asha Verma.');
    expect(await page.getByTestId('no-courses').textContent()).toMatch(/haven’t enrolled/);
    expect(await page.getByTestId('no-orders').count()).toBe(1);
    expect(await page.getByTestId('no-live').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('learning', () => {
  it('enrolls in a free course and completes a lesson', async () => {
    await page.goto('/courses/javascript-foundations');
    await page.getByRole('button', { name: 'Enroll free' }).click();
    await page.waitForURL(`**/learn/javascript-foundations/${videoLesson.slug}`);
    expect(await flash(page)).toBe('You’re enrolled in JavaScript Foundations. Enjoy the course!');
    const first = await page.locator('h1').textContent();
    expect(await page.getByTestId('preview-banner').count()).toBe(0);
    expect(await page.getByRole('progressbar').first().getAttribute('aria-valuenow')).toBe('0');

    await page.getByTestId('mark-complete').click();
    await page.waitForURL((url) => url.pathname.startsWith('/learn/javascript-foundations/') && !url.pathname.endsWith(videoLesson.slug));
    expect(await flash(page)).toBe(`Marked “${first}” as complete.`);
    // The syllabus ticks it; the next lesson opens; previous/next navigate.
    expect(await page.locator(`[data-lesson="${videoLesson.slug}"]`).getAttribute('data-done')).toBe('true');
    expect(Number(await page.getByRole('progressbar').first().getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await page.getByRole('link', { name: /Previous/ }).click();
    await page.waitForURL(`**/learn/javascript-foundations/${videoLesson.slug}`);
    expect(await page.getByTestId('lesson-done').count()).toBe(1);
    await screenshot(page, 'lesson');
    expect(await seriousViolations(page)).toEqual([]);

    // The dashboard: the course with its progress, and where to continue.
    await page.goto('/dashboard');
    const card = page.locator('[data-testid=my-course][data-course=javascript-foundations]');
    expect(Number(await card.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    expect(await page.getByTestId('continue').textContent()).toContain('JavaScript Foundations');
    await page.getByRole('link', { name: 'Resume' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/learn/javascript-foundations/') && !url.pathname.endsWith(videoLesson.slug));
  });

  it('lists the live classes it attended under their course', async () => {
    const { strapi } = stack.app;
    const student = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email }, select: ['id'] });
    const [course] = (await strapi.documents('api::course.course' as any).findMany({ filters: { slug: 'javascript-foundations' }, status: 'published', fields: ['documentId'] } as any)) as any[];
    // Two ended classes of the course, as the live plugin leaves them: one watched long enough to count, one not.
    const startedAt = new Date(Date.now() - 2 * 3600_000);
    const endedAt = new Date(startedAt.getTime() + 3600_000);
    for (const [title, attendedAt] of [['Closures, live', endedAt], ['Promises, live', null]] as const) {
      const session = await strapi.db.query('plugin::live.live-session').create({
        data: { title, scheduledAt: startedAt, startedAt, endedAt, status: 'ENDED', provider: 'local', courseDocumentId: course.documentId },
      });
      await strapi.db.query('plugin::live.live-attendee').create({
        data: { sessionId: session.id, userId: student.id, joinedAt: startedAt, leftAt: endedAt, watchDuration: attendedAt ? 3000 : 600, attendedAt },
      });
    }

    await page.goto('/dashboard');
    const attended = page.locator('[data-testid=my-course][data-course=javascript-foundations] [data-testid=attended-live]');
    expect((await attended.locator('li').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^✓ ?Attended live: Closures, live · \d{1,2} \w{3} \d{4}$/),
    ]);
    expect(await attended.getAttribute('aria-label')).toBe('Live classes you attended in JavaScript Foundations');
  });

  it('resumes a video from the saved position', async () => {
    // Un-complete the lesson, then save a position through the site's endpoint (as the player does).
    await page.goto(`/learn/javascript-foundations/${videoLesson.slug}`);
    await page.getByRole('button', { name: 'Mark as not done' }).click();
    await page.waitForLoadState();
    const saved = await page.request.put(`/api/progress/${videoLesson.documentId}`, { data: { positionSeconds: 4 } });
    expect(saved.status()).toBe(200);

    await page.reload();
    await page.getByTestId('resumed').waitFor();
    expect(await page.getByTestId('resumed').textContent()).toContain('Resumed at 0:04');
    const time = await page.getByTestId('lesson-video').evaluate((video: HTMLVideoElement) => video.currentTime);
    expect(time).toBeGreaterThanOrEqual(3.5);

    // Playing on saves the new position.
    await page.getByTestId('lesson-video').evaluate(async (video: HTMLVideoElement) => {
      video.muted = true;
      video.currentTime = 7;
      await new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
    });
    await eventually(async () => {
      const progress = (await stack.app.strapi.db.query('api::lesson-progress.lesson-progress').findMany({ where: { userLessonKey: { $endsWith: `:${videoLesson.documentId}` } } })) as any[];
      expect(progress.some((p) => p.positionSeconds === 7)).toBe(true);
    });
  });
});

describe('buying a course', () => {
  it('pays through the sandbox checkout — a failure and a cancel first — and lands in the course', async () => {
    await page.goto('/courses/sql-for-data-analysis');
    await page.getByRole('link', { name: 'Buy ₹499' }).click();
    // Buy opens the checkout at once (the sandbox's dialog here, Razorpay's with keys).
    const dialog = page.getByTestId('sandbox-dialog');
    await dialog.waitFor();
    expect(page.url()).toBe(`${stack.siteUrl}/checkout/sql-for-data-analysis`);
    expect(await page.getByTestId('checkout-total').textContent()).toBe('₹499');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Pay ₹499');
    await screenshot(page, 'checkout');
    expect(await seriousViolations(page)).toEqual([]);

    // The bank declines: the student is told, and can try again.
    await page.getByTestId('sandbox-fail').click();
    await page.getByTestId('checkout-failed').waitFor();
    expect(await page.getByTestId('checkout-failed').textContent()).toMatch(/didn’t go through.*declined/);
    await page.getByRole('button', { name: 'Try again · ₹499' }).click();

    // They change their mind: closing the checkout says nothing was charged.
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('checkout-cancelled').waitFor();
    expect(await page.getByTestId('checkout-cancelled').textContent()).toMatch(/nothing was charged/);

    await page.getByRole('button', { name: 'Try again · ₹499' }).click();
    await page.getByTestId('sandbox-pay').click();
    await page.waitForURL('**/learn/sql-for-data-analysis/**');
    expect(await flash(page)).toBe('Payment received — you’re enrolled in SQL for Data Analysis. Happy learning!');
    expect(await page.getByTestId('preview-banner').count()).toBe(0);

    // Every lesson is open now, including the paid ones.
    const locked = await page.locator('nav[aria-label=Lessons] [data-lesson]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-lesson')));
    const paidLesson = locked[locked.length - 1]!;
    const response = await page.goto(`/learn/sql-for-data-analysis/${paidLesson}`);
    expect(response!.status()).toBe(200);
    expect((await page.locator('.prose-blocks').textContent())!.length).toBeGreaterThan(60);

    // The dashboard lists the course and the orders (the declined one too).
    await page.goto('/dashboard');
    expect(await page.locator('[data-testid=my-course][data-course=sql-for-data-analysis]').count()).toBe(1);
    const orders = await page.getByTestId('order-row').allTextContents();
    expect(orders.some((row) => /SQL for Data Analysis.*₹499.*Paid/.test(row))).toBe(true);
    expect(orders.some((row) => /Failed/.test(row))).toBe(true);

    // The receipt is emailed (after the code).
    expect((await stack.mailbox.waitFor(email, 2)).subject).toContain('SQL for Data Analysis');

    // Buying again isn't possible: the checkout sends them to the course.
    await page.goto('/checkout/sql-for-data-analysis');
    await page.waitForURL('**/learn/sql-for-data-analysis/**');
    expect(await flash(page)).toBe('You already own SQL for Data Analysis.');
  });

  it('refuses a paid lesson to a student who has not bought the course, and to a visitor', async () => {
    const lessonUrl = '/learn/react-for-beginners/react-for-beginners-jsx-and-components';
    const response = await page.goto(lessonUrl);
    expect(response!.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('This lesson is for enrolled students');
    expect(await page.getByRole('link', { name: 'Buy ₹499' }).getAttribute('href')).toBe('/checkout/react-for-beginners?start=1');
    expect(await page.locator('.prose-blocks').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    const visitor = await stack.newPage();
    const anonymous = await visitor.goto(lessonUrl);
    expect(anonymous!.status()).toBe(401);
    expect(await visitor.locator('h1').textContent()).toBe('Sign in to continue');
    expect(await visitor.locator('#main').getByRole('link', { name: 'Sign in', exact: true }).getAttribute('href')).toBe(`/login?next=${encodeURIComponent(lessonUrl)}`);
    // The progress endpoint refuses them too.
    expect((await visitor.request.put(`/api/progress/${videoLesson.documentId}`, { data: { completed: true } })).status()).toBe(401);
  });
});

describe('the session', () => {
  it('refreshes itself when the access token is gone or expired', async () => {
    const before = (await page.context().cookies()).find((c) => c.name === 'sy_rt')!.value;
    await page.context().clearCookies({ name: 'sy_at' });
    await page.goto('/dashboard');
    expect(page.url()).toBe(`${stack.siteUrl}/dashboard`);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Asha Verma');
    const after = await page.context().cookies();
    expect(after.find((c) => c.name === 'sy_at')).toBeDefined();
    expect(after.find((c) => c.name === 'sy_rt')!.value).not.toBe(before); // rotated
  });

  it('signs out, and back in through the login form', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.siteUrl}/`);
    expect(await flash(page)).toBe('You’re signed out. See you soon!');
    expect((await page.context().cookies()).filter((c) => c.name.startsWith('sy_'))).toEqual([]);
    const dashboard = await page.goto('/dashboard');
    expect(dashboard!.url()).toContain('/login?next=%2Fdashboard');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Wrong@Password1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toMatch(/don’t match an account/);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/dashboard');
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Asha Verma');
  });

  it('sends an unverified account to the code page on sign-in', async () => {
    const pending = newEmail('pending');
    const other = await stack.newPage();
    await other.goto('/register');
    await other.getByLabel('Your name').fill('Pending Student');
    await other.getByLabel('Email').fill(pending);
    await other.getByLabel('Password').fill(PASSWORD);
    await other.getByRole('button', { name: 'Create account' }).click();
    await other.waitForURL('**/verify**');
    await stack.mailbox.waitFor(pending);

    const fresh = await stack.newPage();
    await fresh.goto('/login');
    await fresh.getByLabel('Email').fill(pending);
    await fresh.getByLabel('Password').fill(PASSWORD);
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).click();
    await fresh.waitForURL('**/verify**');
    expect(await flash(fresh)).toMatch(/Verify your email first/);
    expect(await fresh.getByLabel('Email').inputValue()).toBe(pending);
  });

  it('resets a forgotten password with the emailed code', async () => {
    const visitor = await stack.newPage();
    await visitor.goto('/login');
    await visitor.getByRole('link', { name: 'Forgot your password?' }).click();
    await visitor.getByLabel('Email').fill(email);
    const before = stack.mailbox.inbox(email).length;
    await visitor.getByRole('button', { name: 'Send reset code' }).click();
    await visitor.waitForURL('**/reset-password');
    expect(await flash(visitor)).toMatch(/reset code is on its way/);
    expect(await visitor.getByLabel('Email').inputValue()).toBe(email);
    const code = codeIn(await stack.mailbox.waitFor(email, before + 1));
    await visitor.getByLabel('6-digit code').fill(code);
    await visitor.getByLabel('New password').fill('Brand@NewPass77');
    await visitor.getByRole('button', { name: 'Change password' }).click();
    await visitor.waitForURL('**/login');
    expect(await flash(visitor)).toMatch(/Your password is changed/);
    await signIn(visitor, email, 'Brand@NewPass77');
    expect(visitor.url()).toBe(`${stack.siteUrl}/dashboard`);

    // Every other session ended: the first browser is signed out on its next request.
    await page.goto('/dashboard');
    expect(page.url()).toContain('/login?next=%2Fdashboard');
  });

  it('signs up another student end to end (helper) and sees an empty dashboard', async () => {
    const other = await stack.newPage();
    await signUp(other, stack.mailbox, newEmail('kabir'));
    expect(other.url()).toBe(`${stack.siteUrl}/dashboard`);
    expect(await other.getByTestId('no-courses').count()).toBe(1);
  });

  it('renames itself and changes its password on the account page, signing out its other devices', async () => {
    const kabir = newEmail('kabir-account');
    const first = await stack.newPage();
    await signUp(first, stack.mailbox, kabir, PASSWORD, undefined, 'Kabir');
    const second = await stack.newPage();
    await signIn(second, kabir);

    await first.getByRole('link', { name: 'Account settings' }).click();
    await first.waitForURL('**/account');
    await first.getByLabel('Display name').fill('Bell\u0007');
    await first.getByRole('button', { name: 'Save name' }).click();
    expect(await fieldError(first, 'displayName')).toBe('Use letters, digits, spaces and punctuation only.');
    await first.getByLabel('Display name').fill('  Kabir Singh ');
    await first.getByRole('button', { name: 'Save name' }).click();
    await first.waitForLoadState();
    expect(await flash(first)).toBe('Your name is saved.');
    expect(await first.getByLabel('Display name').inputValue()).toBe('Kabir Singh');

    // The server's answer to a wrong current password shows next to that field.
    await first.getByLabel('Current password').fill('Wrong@Password1');
    await first.getByLabel('New password', { exact: true }).fill('Brand@NewPass77');
    await first.getByLabel('New password again').fill('Brand@NewPass77');
    await first.getByRole('button', { name: 'Change password' }).click();
    await first.waitForLoadState();
    expect(await fieldError(first, 'currentPassword')).toBe('Your current password is not right.');
    await first.getByLabel('Current password').fill(PASSWORD);
    await first.getByLabel('New password', { exact: true }).fill('Brand@NewPass77');
    await first.getByLabel('New password again').fill('Brand@NewPass77');
    await first.getByRole('button', { name: 'Change password' }).click();
    await first.waitForLoadState();
    expect(await flash(first)).toMatch(/Your password is changed/);
    expect(await seriousViolations(first)).toEqual([]);

    // This browser stays signed in (a new session); the other one is signed out.
    await first.goto('/dashboard');
    expect(await first.getByTestId('welcome').textContent()).toBe('Welcome back, Kabir Singh.');
    await second.goto('/dashboard');
    expect(second.url()).toContain('/login?next=%2Fdashboard');
  });
});

describe('the Content-Security-Policy', () => {
  it('blocked nothing on the checkout (sandbox), the lessons with video, the dashboard and the account pages', () => {
    expect(stack.cspViolations).toEqual([]);
  });
});
