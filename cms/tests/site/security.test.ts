/**
 * The site's security edges, through the real stack: where a signed-in visitor is sent after
 * /login?next=… (never off-site, however the URL is disguised), and whose address the sign-in rate
 * limits count (the one the site saw, not whatever the client wrote in X-Forwarded-For). Strapi
 * here trusts one proxy hop (TRUSTED_PROXY_HOPS=1): the site, which calls it directly.
 */
import type { Page } from 'playwright-core';
import { newEmail, screenshot, signUp, startStack, type Stack } from './harness';

let stack: Stack;
let student: Page;
beforeAll(async () => {
  stack = await startStack({ TRUSTED_PROXY_HOPS: '1' });
  student = await stack.newPage();
  await signUp(student, stack.mailbox, newEmail('redirect'));
});
afterAll(async () => {
  await stack?.stop();
});

/** Paths that a browser (and the URL parser) turn into another host once dot segments, backslashes and control characters are handled. */
const OFF_SITE = [
  '//evil.example/',
  '/\\evil.example/',
  '/\\/evil.example/',
  '/./..//evil.example/',
  '/.//evil.example/',
  '/%2e%2e//evil.example/',
  '/a/../..//evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  'https://evil.example/',
  'javascript:alert(document.cookie)',
];

describe('after sign-in, next= stays on the site', () => {
  it('answers a signed-in visitor with a same-site Location for every disguise', async () => {
    const cookie = (await student.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    for (const page of ['/login', '/register', '/verify']) {
      for (const next of OFF_SITE) {
        const response = await fetch(`${stack.siteUrl}${page}?next=${encodeURIComponent(next)}`, { headers: { cookie }, redirect: 'manual' });
        expect(response.status).toBe(303);
        const target = new URL(response.headers.get('location')!, stack.siteUrl);
        expect({ page, next, origin: target.origin }).toEqual({ page, next, origin: stack.siteUrl });
      }
    }
    // A real path survives.
    const kept = await fetch(`${stack.siteUrl}/login?next=${encodeURIComponent('/courses/react-for-beginners?x=1')}`, { headers: { cookie }, redirect: 'manual' });
    expect(kept.headers.get('location')).toBe('/courses/react-for-beginners?x=1');
  });

  it('lands the browser on the site', async () => {
    // Were the site to send the browser away, it would get this page instead of a DNS error.
    await student.context().route((url) => url.hostname === 'evil.example', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' }));
    for (const next of ['/./..//evil.example/', '/\\evil.example/']) {
      await student.goto(`/login?next=${encodeURIComponent(next)}`);
      expect(new URL(student.url()).origin).toBe(stack.siteUrl);
      expect(await student.locator('h1').first().textContent()).not.toBe('evil');
    }
    await screenshot(student, 'login-next-offsite');
  });
});

describe('the sign-in rate limits count the visitor the site saw', () => {
  // "Forgot password" has the smallest per-IP budget (10 per window) and answers every address the
  // same way; distinct accounts, so only the per-IP budget can refuse.
  it('a client rotating X-Forwarded-For through the site is still limited', async () => {
    let firstLimited = 0;
    for (let attempt = 1; attempt <= 15 && !firstLimited; attempt += 1) {
      // Each try claims to come from a new address.
      const response = await fetch(`${stack.siteUrl}/forgot-password`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.siteUrl, 'X-Forwarded-For': `198.51.100.${attempt}` },
        body: new URLSearchParams({ email: newEmail(`rotate${attempt}`) }).toString(),
      });
      if (response.status === 429) {
        firstLimited = attempt;
        expect(await response.text()).toMatch(/Too many attempts/);
      } else {
        expect({ attempt, status: response.status }).toEqual({ attempt, status: 303 });
      }
    }
    expect(firstLimited).toBe(11);
  });

  it('Strapi, trusting one hop, counts exactly the last X-Forwarded-For entry', async () => {
    const forgot = (forwardedFor: string) =>
      stack.app.http.post('/api/auth/password/forgot').set('X-Forwarded-For', forwardedFor).send({ email: newEmail('hop') });
    const statuses: number[] = [];
    // The entries a client can write (left of the last) change every time: one address all along.
    for (let i = 1; i <= 11; i += 1) statuses.push((await forgot(`10.1.${i}.1, 192.0.2.${i}, 203.0.113.7`)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    // Another last hop is another visitor, whatever comes before it.
    expect((await forgot('10.1.1.1, 192.0.2.1, 203.0.113.8')).status).toBe(200);
  });
});
