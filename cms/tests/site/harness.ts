/**
 * The student site's browser tests run the real stack: Strapi booted in this jest worker on a
 * fresh seeded database (SQLite or PostgreSQL, as the API tests), the BUILT site (`node
 * site/server.mjs`) as a child process pointed at it, a real SMTP server catching the sign-up
 * codes, and Debian's Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startStrapi, freePort, type TestApp } from '../helpers/strapi';
import { startMailbox, codeIn, type Mailbox } from '../helpers/mailbox';
import { registerSiteRevalidation } from '../../src/site-revalidation';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const siteDir = path.join(repoRoot, 'site');
export const resultsDir = path.join(repoRoot, 'test-results', 'site');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'];

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Waits for the site to say it is listening (server.mjs logs it once bound), then checks it answers `url`. */
async function waitFor(url: string, timeoutMs: number, child: ChildProcess, logs: string[]) {
  const listening = () => logs.join('').includes('Server listening on');
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(deadline);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onData = () => listening() && done();
    const onExit = (code: number | null) => done(new Error(`the site exited with ${code}:\n${logs.join('')}`));
    const deadline = setTimeout(() => done(new Error(`the site did not start listening within ${timeoutMs} ms:\n${logs.join('')}`)), timeoutMs);
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    if (listening()) done();
  });
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the site answered ${url} with ${response.status}:\n${logs.join('')}`);
}

/**
 * Strapi + the built site + a mailbox + Chromium, all on free ports. With `serveAdminPanel`
 * Strapi also serves the built admin at `${apiUrl}/admin` (build it first: ensureAdminBuild).
 */
export async function startStack(extraEnv: Record<string, string> = {}, options: { serveAdminPanel?: boolean } = {}) {
  if (!fs.existsSync(path.join(siteDir, 'dist', 'server', 'entry.mjs'))) {
    throw new Error('The site is not built: run `npm run build -w site` (npm test builds it when it is missing or stale).');
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);

  const mailbox = await startMailbox();
  const sitePort = await freePort();
  const siteUrl = `http://127.0.0.1:${sitePort}`;
  const revalidateSecret = crypto.randomBytes(24).toString('base64url');

  // Strapi must know the site's address and its own before it boots (CORS, revalidation, receipts, live playback URLs).
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const strapiEnv = { ...mailbox.env, SITE_URL: siteUrl, PUBLIC_URL: apiUrl, SITE_REVALIDATE_SECRET: revalidateSecret, ...extraEnv };
  const app: TestApp = await startStrapi(strapiEnv, { serveAdminPanel: options.serveAdminPanel });
  // Until cms/src/index.ts wires it in bootstrap (a no-op then: registration is idempotent).
  registerSiteRevalidation(app.strapi);
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(apiPort, '127.0.0.1', () => resolve()));

  const logs: string[] = [];
  const site = spawn(process.execPath, ['server.mjs'], {
    cwd: siteDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      API_URL: apiUrl,
      PUBLIC_URL: apiUrl,
      SITE_URL: siteUrl,
      SITE_HOST: '127.0.0.1',
      SITE_PORT: String(sitePort),
      SITE_REVALIDATE_SECRET: revalidateSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  site.stdout!.on('data', (chunk) => logs.push(String(chunk)));
  site.stderr!.on('data', (chunk) => logs.push(String(chunk)));
  await waitFor(`${siteUrl}/healthz`, 20_000, site, logs);

  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  fs.mkdirSync(resultsDir, { recursive: true });
  /** Every Content-Security-Policy violation any page of this stack reported (should stay empty). */
  const cspViolations: CspViolation[] = [];

  return {
    app,
    mailbox,
    browser,
    siteUrl,
    apiUrl,
    logs,
    cspViolations,
    /**
     * A fresh browser profile (its own cookies), with or without JavaScript. Its pages report
     * Content-Security-Policy violations into `cspViolations` (the document's
     * securitypolicyviolation events, and the console errors Chromium prints for workers).
     */
    async newPage(options: { javaScriptEnabled?: boolean; width?: number; height?: number } = {}): Promise<Page> {
      const context: BrowserContext = await browser.newContext({
        baseURL: siteUrl,
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
        locale: 'en-IN',
      });
      await watchContentSecurityPolicy(context, cspViolations);
      return context.newPage();
    },
    async stop() {
      await browser?.close().catch(() => undefined);
      if (site.exitCode === null) {
        const exited = new Promise((resolve) => site.once('exit', resolve));
        site.kill('SIGTERM');
        await exited;
      }
      await app?.stop();
      await mailbox?.close();
      // startStrapi put these into this worker's environment; the next test file must not inherit them.
      for (const name of Object.keys(strapiEnv)) delete process.env[name];
      if (process.env.SITE_TEST_LOGS) console.log(logs.join(''));
    },
  };
}

export type CspViolation = { page: string; directive: string; blocked: string; sample?: string };

/** Collects what the site's Content-Security-Policy blocks in this browser context. */
export async function watchContentSecurityPolicy(context: BrowserContext, into: CspViolation[]) {
  await context.exposeBinding('__reportCspViolation', (_source, violation: CspViolation) => {
    into.push(violation);
  });
  // Init scripts come from the browser's automation channel: the page's policy doesn't apply to them.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as any).__reportCspViolation({ page: document.URL, directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample });
    });
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      into.push({ page: message.page()?.url() ?? '', directive: 'console', blocked: message.text() });
    }
  });
}

/** axe-core in the page: the serious and critical WCAG 2.x A/AA violations (should be none). */
export async function seriousViolations(page: Page, within?: string) {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the automation channel, not added as an inline <script>: the site's
  // Content-Security-Policy (rightly) refuses inline scripts it didn't build.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  // `within` (the admin panel: 'main', the page Strapi renders a plugin into) leaves out the shell around it, which isn't ours.
  const results = await page.evaluate(
    (scope) => (window as any).axe.run(scope ? { include: [[scope]] } : document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
    within ?? null
  );
  return (results.violations as any[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')) }));
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true });

let counter = 0;
export const newEmail = (label: string) => `${label}-${Date.now()}-${++counter}@site.test`;
export const PASSWORD = 'Learn@Skillyug42';

/** Signs up through the site's forms and the emailed code; returns on the dashboard, signed in. */
export async function signUp(page: Page, mailbox: Mailbox, email: string, password = PASSWORD, next?: string, displayName = 'Test Student') {
  await page.goto(next ? `/register?next=${encodeURIComponent(next)}` : '/register');
  await page.getByLabel('Your name').fill(displayName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/verify/);
  const code = codeIn(await mailbox.waitFor(email));
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/verify'));
}

/** Signs in through the login form. */
export async function signIn(page: Page, email: string, password = PASSWORD, next?: string) {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

// ---------------------------------------------------------------------------
// The Strapi admin (built bundle served by Strapi: ensureAdminBuild + startStrapi(…, { serveAdminPanel: true }))

/** Whatever Strapi puts over the page on a first visit (guided tour, "what's new" banners): closed. */
export async function dismissOverlays(page: Page) {
  const banner = page.getByText('Introducing the new Media Library').locator('xpath=ancestor::*[.//button][1]');
  const closeBanner = banner.getByRole('button', { name: /^close/i });
  if (await closeBanner.isVisible().catch(() => false)) await closeBanner.click({ timeout: 2_000 }).catch(() => undefined);
  for (const name of [/^skip/i, /^dismiss/i, /^close/i, /maybe later/i, /^got it/i, /^no, thanks/i]) {
    const buttons = page.locator('[role="dialog"], [role="alertdialog"], [role="status"], [role="region"]').getByRole('button', { name });
    for (const button of await buttons.all()) {
      if (await button.isVisible().catch(() => false)) await button.click({ timeout: 2_000 }).catch(() => undefined);
    }
  }
}

/** Signs in through /admin's login form; resolves on the admin's home page. */
export async function signInToAdmin(page: Page, { email, password }: { email: string; password: string }) {
  await page.goto('/admin');
  await page.locator('input[name="email"]').fill(email, { timeout: 60_000 });
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: /^log ?in$/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'), { timeout: 30_000 });
  await page.getByRole('navigation').first().waitFor({ timeout: 30_000 });
  await dismissOverlays(page);
}

export { eventually } from '../helpers/wait';
