/**
 * An editor pricing a course in the real admin panel (built, served by Strapi, Debian's Chromium):
 * the money field shows and takes rupees, stores paise, and flags a paid price below ₹49.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStrapi, freePort, type TestApp } from '../helpers/strapi';
import { ensureAdminBuild } from '../helpers/live';
import { CHROMIUM } from './harness';

const ADMIN = { email: 'admin@skillyug.local', password: 'Skillyug@Admin1' };
const COURSE_UID = 'api::course.course';
let app: TestApp;
let browser: Browser;
let apiUrl: string;
let page: Page;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  await ensureAdminBuild();
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  app = await startStrapi({ PUBLIC_URL: apiUrl }, { serveAdminPanel: true });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext({ baseURL: apiUrl, viewport: { width: 1440, height: 1000 }, locale: 'en-IN' });
  page = await context.newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await app?.stop();
  delete process.env.PUBLIC_URL;
});

const course = async (slug: string) =>
  ((await app.strapi.documents(COURSE_UID as any).findFirst({ filters: { slug }, status: 'draft', fields: ['price', 'isFree'] } as any)) as any);

describe('the course price in the admin', () => {
  it('shows a paid course’s price in rupees, takes rupees with paise, and saves paise', async () => {
    await page.goto('/admin');
    await page.locator('input[name="email"]').fill(ADMIN.email, { timeout: 60_000 });
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.getByRole('button', { name: /^log ?in$/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'), { timeout: 30_000 });

    const react = await course('react-for-beginners');
    expect(react).toMatchObject({ price: 49_900, isFree: false });
    await page.goto(`/admin/content-manager/collection-types/${COURSE_UID}/${react.documentId}`);
    const price = page.locator('input[name="price"]');
    // Once the document has loaded: 49900 paise shown as 499 rupees, and read back with ₹.
    await page.getByText('₹499 — students see this price.').waitFor({ timeout: 60_000 });
    expect(await price.inputValue()).toBe('499');

    // Paise typed by habit: flagged before saving, with the reason.
    await price.fill('4.99');
    await page.getByText('₹4.99 is below the ₹49 minimum for a paid course', { exact: false }).waitFor();

    await price.fill('1,299.50');
    await page.getByText('₹1,299.50 — students see this price.').waitFor();
    await page.getByRole('button', { name: /^save$/i }).click();
    await page.getByText(/^saved/i).first().waitFor({ timeout: 30_000 });
    expect(await course('react-for-beginners')).toMatchObject({ price: 129_950 });
  });

  it('refuses a sub-minimum save from the server and shows its message', async () => {
    const react = await course('react-for-beginners');
    await page.goto(`/admin/content-manager/collection-types/${COURSE_UID}/${react.documentId}`);
    const price = page.locator('input[name="price"]');
    await page.getByText('₹1,299.50 — students see this price.').waitFor({ timeout: 60_000 });
    await price.fill('12');
    const saving = page.waitForResponse((response) => response.url().includes(`/content-manager/collection-types/${COURSE_UID}/`) && response.request().method() === 'PUT');
    await page.getByRole('button', { name: /^save$/i }).click();
    const refused = await saving;
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error.message).toMatch(/^₹12 is below the ₹49 minimum for a paid course/);
    await page.getByText('₹12 is below the ₹49 minimum for a paid course', { exact: false }).first().waitFor();
    expect(await course('react-for-beginners')).toMatchObject({ price: 129_950 });
  });
});
