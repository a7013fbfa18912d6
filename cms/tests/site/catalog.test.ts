/**
 * The public site in a real browser: the catalog (browse, filter, search, sort, pages — in the
 * URL, with and without JavaScript), the course page, SEO, errors, accessibility, layout, and the
 * publish → site cache invalidation.
 */
import type { Page } from 'playwright-core';
import { eventually, screenshot, seriousViolations, startStack, type Stack } from './harness';

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
    const cls = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let total = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as any[]) if (!entry.hadRecentInput) total += entry.value;
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve(total), 500);
        })
    );
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

    // A draft edit is not public: the site keeps serving the published version from cache.
    await documents.update({ documentId: course.documentId, data: { title: 'Draft title nobody should see' } } as any);
    await new Promise((resolve) => setTimeout(resolve, 300));
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
