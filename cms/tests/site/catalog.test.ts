/**
 * The public site in a real browser: the catalog (browse, filter, search, sort, pages — in the
 * URL, with and without JavaScript), the course page, SEO, errors, accessibility, layout, and the
 * publish → site cache invalidation.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { LIVE_SESSIONS_CHANGED } from '../../src/site-revalidation';
import { eventually, resultsDir, screenshot, seriousViolations, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const PUBLISHED = [
  'javascript-foundations',
  'python-for-everyone',
  'react-for-beginners',
  'sql-for-data-analysis',
  'dsa-placement-prep',
  'node-express-rest-apis',
  'machine-learning-with-python',
  'devops-docker-kubernetes',
];

/** The course slugs of the cards on the page, in order. */
const cardSlugs = (page: Page) =>
  page.$$eval('[data-testid=course-card] h2 a, [data-testid=course-card] h3 a', (links) => links.map((a) => a.getAttribute('href')!.replace('/courses/', '')));

const resultCount = async (page: Page) => (await page.textContent('[data-testid=result-count]'))?.trim();

describe('the catalog', () => {
  it('lists published courses with cover, title, instructor, level and price, six to a page', async () => {
    const page = await stack.newPage();
    const response = await page.goto('/courses');
    expect(response!.status()).toBe(200);
    expect(await resultCount(page)).toBe('8 courses · page 1 of 2');
    const first = await cardSlugs(page);
    expect(first).toHaveLength(6);

    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL('**/courses?page=2');
    const second = await cardSlugs(page);
    expect(second).toHaveLength(2);
    expect([...first, ...second].sort()).toEqual([...PUBLISHED].sort()); // never the draft
    expect(await page.getByRole('link', { name: 'Page 2' }).getAttribute('aria-current')).toBe('page');

    // Prices in rupees from paise, "Free" for free courses; level and instructors on each card.
    await page.goto('/courses?sort=price-asc');
    const card = (slug: string) => page.locator('[data-testid=course-card]', { has: page.locator(`a[href="/courses/${slug}"]`) });
    expect(await card('python-for-everyone').getByTestId('course-price').textContent()).toBe('Free');
    expect(await card('sql-for-data-analysis').getByTestId('course-price').textContent()).toBe('₹499');
    expect(await card('dsa-placement-prep').getByTestId('course-price').textContent()).toBe('₹1,299');
    expect(await card('sql-for-data-analysis').textContent()).toMatch(/Beginner/);
    expect(await card('sql-for-data-analysis').textContent()).toMatch(/By Vikram Nair/);
    // Covers reserve their space (no layout shift) and load from Strapi.
    const images = await page.$$eval('[data-testid=course-card] img', (imgs) =>
      imgs.map((img) => ({ width: img.getAttribute('width'), height: img.getAttribute('height'), loaded: (img as HTMLImageElement).naturalWidth > 0 || img.getAttribute('loading') === 'lazy' }))
    );
    expect(images).toHaveLength(6);
    for (const image of images) expect(image).toMatchObject({ width: '640', height: '360', loaded: true });
    await screenshot(page, 'catalog');
  });

  it('filters by category, level and price, searches and sorts — all in a shareable URL', async () => {
    const page = await stack.newPage();
    await page.goto('/courses');
    // With JavaScript a choice applies at once.
    await page.getByLabel('Category').selectOption({ label: 'Data Science & AI' });
    await page.waitForURL('**/courses?category=data-science-ai');
    expect((await cardSlugs(page)).sort()).toEqual(['machine-learning-with-python', 'sql-for-data-analysis']);
    expect(await page.locator('h1').textContent()).toBe('Data Science & AI courses');

    await page.getByLabel('Level').selectOption('beginner');
    await page.waitForURL('**/courses?category=data-science-ai&level=beginner');
    expect(await cardSlugs(page)).toEqual(['sql-for-data-analysis']);

    await page.goto('/courses');
    await page.getByLabel('Price').selectOption('free');
    await page.waitForURL('**/courses?price=free');
    expect((await cardSlugs(page)).sort()).toEqual(['javascript-foundations', 'python-for-everyone']);

    await page.goto('/courses');
    await page.getByLabel('Search', { exact: true }).fill('python');
    await page.getByLabel('Search', { exact: true }).press('Enter');
    await page.waitForURL('**/courses?q=python');
    expect((await cardSlugs(page)).sort()).toEqual(['machine-learning-with-python', 'python-for-everyone']);
    expect(await page.getByLabel('Search', { exact: true }).inputValue()).toBe('python');

    await page.goto('/courses?price=paid');
    await page.getByLabel('Sort by').selectOption('price-desc');
    await page.waitForURL('**/courses?price=paid&sort=price-desc');
    const prices = await page.$$eval('[data-testid=course-price]', (els) => els.map((e) => Number(e.textContent!.replace(/[^\d]/g, ''))));
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    expect(prices).toHaveLength(6);

    // Nothing found: an empty state that offers a way out.
    await page.goto('/courses?q=quantum-basket-weaving');
    expect(await page.getByTestId('empty-results').textContent()).toMatch(/No courses match/);
    await page.getByTestId('empty-results').getByRole('link', { name: 'Clear all filters' }).click();
    await page.waitForURL('**/courses');

    // A shared link opens the same results; junk in the query is dropped, not an error.
    const shared = await stack.newPage();
    await shared.goto('/courses?level=advanced&sort=price-desc&q=&price=&category=');
    expect(shared.url()).toBe(`${stack.siteUrl}/courses?level=advanced&sort=price-desc`);
    expect((await cardSlugs(shared)).sort()).toEqual(['devops-docker-kubernetes', 'machine-learning-with-python']);
    await shared.goto('/courses?level=wizard&page=-1&sort=random');
    expect(shared.url()).toBe(`${stack.siteUrl}/courses`);
    // The home page sends filtered links to the catalog.
    await shared.goto('/?price=free');
    expect(shared.url()).toBe(`${stack.siteUrl}/courses?price=free`);
  });

  it('works without JavaScript: filter, search, paginate, open a course and a preview', async () => {
    const page = await stack.newPage({ javaScriptEnabled: false });
    await page.goto('/');
    expect(await cardSlugs(page)).toHaveLength(6);
    await page.getByLabel('Level').selectOption('intermediate');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/courses?level=intermediate');
    expect((await cardSlugs(page)).sort()).toEqual(['dsa-placement-prep', 'node-express-rest-apis']);

    await page.getByLabel('Level').selectOption('');
    await page.getByLabel('Search', { exact: true }).fill('docker');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/courses?q=docker');
    expect(await cardSlugs(page)).toEqual(['devops-docker-kubernetes']);

    await page.goto('/courses');
    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL('**/courses?page=2');
    expect(await cardSlugs(page)).toHaveLength(2);

    await page.goto('/courses?q=react');
    await page.getByRole('link', { name: 'React for Beginners' }).click();
    await page.waitForURL('**/courses/react-for-beginners');
    expect(await page.locator('h1').textContent()).toBe('React for Beginners');
    expect(await page.getByRole('heading', { name: 'Syllabus' }).count()).toBe(1);
    expect(await page.getByTestId('course-cta').textContent()).toMatch(/Sign in to buy for ₹499/);
    await page.getByRole('link', { name: 'Watch a free preview' }).click();
    await page.waitForURL('**/learn/react-for-beginners/**');
    expect(await page.getByTestId('preview-banner').count()).toBe(1);
    expect((await page.locator('.prose-blocks').textContent())!.length).toBeGreaterThan(60);
  });

  it('shows a course: description, syllabus with previews, instructors, and the call to action for visitors', async () => {
    const page = await stack.newPage();
    const response = await page.goto('/courses/javascript-foundations');
    expect(response!.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('JavaScript Foundations');
    expect(await page.getByRole('heading', { name: 'About this course' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: /Your instructors?/ }).count()).toBe(1);
    // Syllabus: modules and lessons, previews open to anyone, the rest locked.
    const rows = page.locator('[data-lesson]');
    expect(await rows.count()).toBeGreaterThan(3);
    expect(await page.getByText('Free preview').count()).toBeGreaterThan(0);
    expect(await page.getByText('(locked)').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('course-price').first().textContent()).toBe('Free');
    const cta = page.getByTestId('course-cta').getByRole('link', { name: 'Sign in to enroll free' });
    expect(await cta.getAttribute('href')).toBe('/login?next=%2Fcourses%2Fjavascript-foundations');
    // The demo seed's upcoming live class, with its time and the way in.
    const demoClass = page.getByTestId('live-class');
    expect(await demoClass.count()).toBe(1);
    expect(await demoClass.getAttribute('data-status')).toBe('SCHEDULED');
    expect(await demoClass.textContent()).toContain('closures and the event loop');
    expect(await demoClass.getByRole('link').first().getAttribute('href')).toMatch(/^\/live\/[a-z0-9]+/);
    // A course without classes shows no empty section.
    await page.goto('/courses/python-for-everyone');
    expect(await page.getByTestId('live-classes').count()).toBe(0);
    await page.goto('/courses/javascript-foundations');
    await screenshot(page, 'course');
  });

  it('is findable: titles, descriptions, canonical URLs, Open Graph, JSON-LD, sitemap.xml and robots.txt', async () => {
    const html = await (await fetch(`${stack.siteUrl}/courses/sql-for-data-analysis`)).text();
    const meta = (attr: string, name: string) => new RegExp(`<meta ${attr}="${name.replace(':', '\\:')}" content="([^"]*)"`).exec(html)?.[1];
    expect(html).toMatch(/<title>SQL for Data Analysis · Skillyug<\/title>/);
    expect(meta('name', 'description')!.length).toBeGreaterThan(40);
    expect(html).toContain(`<link rel="canonical" href="${stack.siteUrl}/courses/sql-for-data-analysis">`);
    expect(meta('property', 'og:title')).toBe('SQL for Data Analysis · Skillyug');
    expect(meta('property', 'og:image')).toMatch(new RegExp(`^${stack.apiUrl}/uploads/.+\\.png$`));
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]);
    expect(jsonLd).toMatchObject({ '@type': 'Course', name: 'SQL for Data Analysis', offers: { price: '499.00', priceCurrency: 'INR' } });

    // A filtered catalog's canonical URL is its normalised query.
    const page = await stack.newPage();
    await page.goto('/courses?q=&level=beginner&price=');
    expect(await page.locator('link[rel=canonical]').getAttribute('href')).toBe(`${stack.siteUrl}/courses?level=beginner`);
    expect(await page.title()).toBe('Beginner courses · Skillyug');

    const sitemap = await fetch(`${stack.siteUrl}/sitemap.xml`);
    expect(sitemap.headers.get('content-type')).toMatch(/application\/xml/);
    const xml = await sitemap.text();
    for (const slug of PUBLISHED) expect(xml).toContain(`<loc>${stack.siteUrl}/courses/${slug}</loc>`);
    expect(xml).not.toContain('system-design-masterclass');
    const robots = await (await fetch(`${stack.siteUrl}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${stack.siteUrl}/sitemap.xml`);
    expect(robots).toContain('Disallow: /dashboard');
  });

  it('caches public pages for visitors and serves them from memory', async () => {
    const url = `${stack.siteUrl}/courses?level=advanced`;
    await fetch(url);
    const again = await fetch(url);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(await again.text()).toContain('Machine Learning with Python');
    // A personal page is never cached.
    const login = await fetch(`${stack.siteUrl}/login`);
    expect(login.headers.get('x-cache')).toBeNull();
  });

  it('says what happened on 404s, and stays up (503) when Strapi is down', async () => {
    const page = await stack.newPage();
    let response = await page.goto('/courses/no-such-course');
    expect(response!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Course not found');
    expect(await page.getByRole('link', { name: 'Browse courses' }).count()).toBe(1);
    response = await page.goto('/this/page/does/not/exist');
    expect(response!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    response = await page.goto('/learn/javascript-foundations/no-such-lesson');
    expect(response!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Lesson not found');

    // Strapi stops answering: an uncached catalog page explains instead of crashing.
    const server = stack.app.strapi.server.httpServer;
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    try {
      response = await page.goto('/courses?q=during-an-outage');
      expect(response!.status()).toBe(503);
      expect(await page.getByRole('alert').textContent()).toMatch(/temporarily unavailable/);
      // Cached pages keep working.
      expect((await page.goto('/courses'))!.status()).toBe(200);
    } finally {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    }
  });

  it('has no layout shift on the catalog and fits a 360 px screen', async () => {
    const page = await stack.newPage();
    await page.goto('/courses', { waitUntil: 'load' });
    // Once every image has decoded, the fonts are in and two frames have been painted, everything
    // that could move the layout has happened: add up the shifts recorded so far.
    const cls = await page.evaluate(async () => {
      await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)));
      await document.fonts.ready;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const observer = new PerformanceObserver(() => undefined);
      observer.observe({ type: 'layout-shift', buffered: true });
      const entries = observer.takeRecords() as any[];
      observer.disconnect();
      return entries.filter((entry) => !entry.hadRecentInput).reduce((total, entry) => total + entry.value, 0);
    });
    expect(cls).toBeLessThan(0.02);

    const phone = await stack.newPage({ width: 360, height: 740 });
    for (const path of ['/', '/courses?price=paid', '/courses/dsa-placement-prep', '/login', '/register', '/learn/react-for-beginners/react-for-beginners-what-react-solves']) {
      await phone.goto(path);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
    }
  });

  it('passes axe (no serious or critical violations) on the public pages', async () => {
    const page = await stack.newPage();
    // One of each template (the student's pages are checked in student.test.ts).
    const pages = [
      '/',
      '/courses?q=nothing-matches-this',
      '/courses/react-for-beginners',
      '/learn/react-for-beginners/react-for-beginners-what-react-solves',
      '/learn/react-for-beginners/react-for-beginners-jsx-and-components',
      '/register',
      '/nope',
    ];
    for (const path of pages) {
      await page.goto(path);
      expect({ path, violations: await seriousViolations(page) }).toEqual({ path, violations: [] });
    }
    // Keyboard: the skip link is the first stop and moves focus to the content.
    await page.goto('/courses');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });
});

/** The bodies of Strapi's POSTs to the site's /api/revalidate, as each one is answered. */
function watchRevalidations() {
  const realFetch = globalThis.fetch;
  const waiting: ((body: string) => void)[] = [];
  const spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const response = await realFetch(input, init);
    if (init?.method === 'POST' && String(input).endsWith('/api/revalidate')) waiting.shift()?.(String(init.body));
    return response;
  });
  return {
    next: () => new Promise<string>((resolve) => waiting.push(resolve)),
    stop: () => spy.mockRestore(),
  };
}

describe('first impressions', () => {
  it('shows the price and the call to action on a phone without scrolling (375 × 812)', async () => {
    const phone = await stack.newPage({ width: 375, height: 812 });
    await phone.goto('/courses/dsa-placement-prep');
    const bar = phone.getByTestId('course-cta-bar');
    const box = (await bar.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(812);
    expect(await bar.textContent()).toContain('₹1,299');
    const action = bar.getByRole('link', { name: 'Sign in to buy for ₹1,299' });
    expect(await action.isVisible()).toBe(true);
    expect(await action.getAttribute('href')).toBe('/login?next=%2Fcheckout%2Fdsa-placement-prep%3Fstart%3D1');
    // The enrollment card further down still has it; the bar settles above the footer, never over it.
    expect((await phone.getByTestId('course-cta').boundingBox())!.y).toBeGreaterThan(812);
    // What the phone shows on load (not the full page: the bar sticks to the screen's bottom).
    await phone.screenshot({ path: path.join(resultsDir, 'course-phone.png') });
    await phone.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const footer = (await phone.locator('footer').boundingBox())!;
    const settled = (await bar.boundingBox())!;
    expect(settled.y + settled.height).toBeLessThanOrEqual(footer.y + 1);
    // On a desktop the card is beside the content and the bar isn't there.
    const desktop = await stack.newPage();
    await desktop.goto('/courses/dsa-placement-prep');
    expect(await desktop.getByTestId('course-cta-bar').isVisible()).toBe(false);
    expect(await desktop.getByTestId('course-cta').getByRole('link', { name: 'Sign in to buy for ₹1,299' }).isVisible()).toBe(true);
  });

  it('shows every option of the catalog filters in full at 1280 px (and on a phone)', async () => {
    for (const size of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
      const page = await stack.newPage(size);
      await page.goto('/courses');
      // The longest option of each select must fit the select's text box (its width less the padding
      // that holds the arrow), measured with the select's own font.
      const cut = await page.$$eval('[data-catalog-form] select', (elements) => {
        const selects = elements as HTMLSelectElement[];
        const context = document.createElement('canvas').getContext('2d')!;
        return selects.flatMap((select) => {
          const style = getComputedStyle(select);
          context.font = style.font;
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return [...select.options]
            .map((option) => ({ select: select.name, option: option.text, width: Math.ceil(context.measureText(option.text).width), room }))
            .filter((o) => o.width > o.room);
        });
      });
      expect({ size: size.width, cut }).toEqual({ size: size.width, cut: [] });
      if (size.width === 1280) {
        await page.locator('[data-catalog-form]').screenshot({ path: path.join(resultsDir, 'catalog-filters-1280.png') });
        // On a laptop the four filters share one row under the search box.
        const tops = await page.$$eval('[data-catalog-form] select', (selects) => selects.map((select) => Math.round(select.getBoundingClientRect().top)));
        expect(tops).toHaveLength(4);
        expect(new Set(tops).size).toBe(1);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
    }
  });
});

describe('publishing in Strapi', () => {
  it('shows on the site within 2 s: a renamed course, then an unpublished one', async () => {
    const documents = stack.app.strapi.documents('api::course.course' as any);
    const [course] = (await documents.findMany({ filters: { slug: 'node-express-rest-apis' }, status: 'published' } as any)) as any[];
    const page = `${stack.siteUrl}/courses/node-express-rest-apis`;
    // Warm the cache first: the change must get through it.
    await fetch(page);
    expect((await fetch(page)).headers.get('x-cache')).toBe('HIT');
    await fetch(`${stack.siteUrl}/courses?level=intermediate`);

    // An editor renames the course and publishes (what the admin's Save + Publish do).
    await documents.update({ documentId: course.documentId, data: { title: 'Node.js & Express: REST APIs in Production' } } as any);
    await documents.publish({ documentId: course.documentId } as any);
    const started = Date.now();
    await eventually(async () => {
      const html = await (await fetch(page)).text();
      expect(html).toContain('Node.js &amp; Express: REST APIs in Production');
    }, 2_000, 50);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await (await fetch(`${stack.siteUrl}/courses?level=intermediate`)).text()).toContain('REST APIs in Production');

    // A draft edit is not public: Strapi doesn't notify the site, which keeps the published version.
    // Proof without waiting an arbitrary time: a notification that surely goes out next (a live
    // class change) carries everything queued before it — and the draft edit is not among it.
    const revalidations = watchRevalidations();
    try {
      await documents.update({ documentId: course.documentId, data: { title: 'Draft title nobody should see' } } as any);
      const delivered = revalidations.next();
      stack.app.strapi.eventHub.emit(LIVE_SESSIONS_CHANGED, { action: 'update' });
      const models = (JSON.parse(await delivered).model as string).split(',');
      expect(models).toEqual(['plugin::live.live-session']);
    } finally {
      revalidations.stop();
    }
    expect(await (await fetch(page)).text()).not.toContain('Draft title nobody should see');

    // Unpublished: gone from the course page, the catalog and the sitemap.
    await documents.unpublish({ documentId: course.documentId } as any);
    await eventually(async () => expect((await fetch(page)).status).toBe(404), 2_000, 50);
    expect(await (await fetch(`${stack.siteUrl}/courses?level=intermediate`)).text()).not.toContain('/courses/node-express-rest-apis');
    expect(await (await fetch(`${stack.siteUrl}/sitemap.xml`)).text()).not.toContain('node-express-rest-apis');
  });

  it('refuses a revalidation call without the shared secret', async () => {
    const post = (headers: Record<string, string>) => fetch(`${stack.siteUrl}/api/revalidate`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    expect((await post({})).status).toBe(401);
    expect((await post({ Authorization: 'Bearer wrong-secret' })).status).toBe(401);
  });
});

describe('the Content-Security-Policy', () => {
  it('is sent with every page, with the configured origins', async () => {
    for (const path of ['/', '/courses', '/courses/javascript-foundations', '/login', '/nope']) {
      const response = await fetch(`${stack.siteUrl}${path}`);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect({ path, enforced: policy.length > 0 }).toEqual({ path, enforced: true });
      expect(policy).toMatch(/script-src 'self' [^;]*'sha256-/);
      expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain(`img-src 'self' data: ${stack.apiUrl}`);
    }
  });

  it('blocked nothing on the catalog and course pages these tests opened', () => {
    expect(stack.cspViolations).toEqual([]);
  });
});
