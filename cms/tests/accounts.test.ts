import { startStrapi, type TestApp } from './helpers/strapi';
import { startMailbox, codeIn, type Mailbox } from './helpers/mailbox';

let app: TestApp;
let mail: Mailbox;
beforeAll(async () => {
  mail = await startMailbox();
  // A short window keeps this file's many sign-ups from one IP under the limits (rate-limit.test.ts covers them).
  app = await startStrapi({ ...mail.env, AUTH_RATE_LIMIT_WINDOW_SECONDS: '1' });
});
afterAll(async () => {
  await app?.stop();
  await mail?.close();
});

const PASSWORD = 'Learn@Skillyug42';
let counter = 0;
const newEmail = (label: string) => `${label}-${Date.now()}-${++counter}@mail.test`;

const users = () => app.strapi.db.query('plugin::users-permissions.user');
const otps = () => app.strapi.db.query('api::otp.otp');

async function register(email: string, password = PASSWORD) {
  const res = await app.http.post('/api/auth/local/register').send({ email, password, displayName: 'Asha Verma' });
  expect(res.status).toBe(200);
  return { code: codeIn(await mail.waitFor(email)), registration: res.body.registration as string };
}

async function verifiedStudent(label: string) {
  const email = newEmail(label);
  const { code, registration } = await register(email);
  const res = await app.http.post('/api/auth/otp/verify').send({ email, code, registration });
  expect(res.status).toBe(200);
  return { email, jwt: res.body.jwt as string, refreshToken: res.body.refreshToken as string };
}

describe('sign-up with an emailed code', () => {
  it('registers unconfirmed, emails a code, refuses login until verified, then signs in', async () => {
    const email = newEmail('signup');
    const res = await app.http.post('/api/auth/local/register').send({ email, password: PASSWORD, displayName: '  Asha Verma ' });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatch(/6-digit code/);
    expect(res.body).not.toHaveProperty('jwt');
    const { registration } = res.body;

    const message = await mail.waitFor(email);
    const code = codeIn(message);
    expect(message.subject).toContain(code);
    expect(message.text).toMatch(/Skillyug/);
    expect(message.text).toMatch(/expires in 10 minutes/);
    expect(message.html).toContain(code);

    const user = await users().findOne({ where: { email }, populate: ['role'] });
    expect(user).toMatchObject({ confirmed: false, password: null });
    expect(user.username).toMatch(/^user-[0-9a-f-]{36}$/); // internal, never the email
    expect(user.role.type).toBe('student');
    const [row] = await otps().findMany({ where: { email } });
    expect(JSON.stringify(row)).not.toContain(code); // stored hashed

    const early = await app.http.post('/api/auth/local').send({ identifier: email, password: PASSWORD });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/Verify your email/);

    const verified = await app.http.post('/api/auth/otp/verify').send({ email, code, registration });
    expect(verified.status).toBe(200);
    expect(verified.body.user.email).toBe(email);
    expect(verified.body.user.displayName).toBe('Asha Verma');
    expect(verified.body.user).not.toHaveProperty('password');
    const me = await app.http.get('/api/users/me').set('Authorization', `Bearer ${verified.body.jwt}`);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);

    const login = await app.http.post('/api/auth/local').send({ identifier: email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.jwt).toEqual(expect.any(String));
  });

  it('lets a code be used once only', async () => {
    const email = newEmail('once');
    const { code, registration } = await register(email);
    expect((await app.http.post('/api/auth/otp/verify').send({ email, code, registration })).status).toBe(200);
    const again = await app.http.post('/api/auth/otp/verify').send({ email, code, registration });
    expect(again.status).toBe(400);
  });

  it('kills a code after 5 wrong tries, even if the right one comes next', async () => {
    const email = newEmail('guess');
    const { code, registration } = await register(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await app.http.post('/api/auth/otp/verify').send({ email, code: wrong, registration }));
    expect(answers.slice(0, 4).map((r) => r.body.error.details.reason)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(answers[4].body.error.details.reason).toBe('exhausted');
    const right = await app.http.post('/api/auth/otp/verify').send({ email, code, registration });
    expect(right.status).toBe(400);
    expect(right.body.error.message).toMatch(/Too many wrong tries/);
    expect((await users().findOne({ where: { email } })).confirmed).toBe(false);
  });

  it('refuses an expired code and cleans expired codes up', async () => {
    const email = newEmail('expired');
    const { code, registration } = await register(email);
    await otps().updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await app.http.post('/api/auth/otp/verify').send({ email, code, registration });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/expired/);
    const removed = await app.strapi.service('api::otp.otp').cleanup();
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await otps().count({ where: { email } })).toBe(0);
  });

  it('sends a new code on resend, which replaces the old one, with a cooldown', async () => {
    const email = newEmail('resend');
    const { code: first, registration } = await register(email);
    const resend = await app.http.post('/api/auth/otp/resend').send({ email, registration });
    expect(resend.status).toBe(200);
    const second = codeIn(await mail.waitFor(email, 2));

    const tooSoon = await app.http.post('/api/auth/otp/resend').send({ email, registration });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThan(0);
    expect(tooSoon.body.error.message).toMatch(/Try again in \d+ seconds/);

    if (first !== second) {
      expect((await app.http.post('/api/auth/otp/verify').send({ email, code: first, registration })).status).toBe(400);
    }
    expect((await app.http.post('/api/auth/otp/verify').send({ email, code: second, registration })).status).toBe(200);
  });

  it('answers a sign-up with a taken email the same way, and tells the owner by email', async () => {
    const { email } = await verifiedStudent('taken');
    const res = await app.http.post('/api/auth/local/register').send({ email, password: 'Another@Pass99', displayName: 'Someone' });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatch(/6-digit code/);
    const notice = await mail.waitFor(email, 2);
    expect(notice.subject).toMatch(/tried to sign up/);
    expect(await users().count({ where: { email } })).toBe(1);
  });
});

describe('password reset by code', () => {
  it('resets the password and signs every old session out', async () => {
    const student = await verifiedStudent('reset');
    const login = await app.http.post('/api/auth/local').send({ identifier: student.email, password: PASSWORD });
    const oldJwt = login.body.jwt;
    expect((await app.http.get('/api/users/me').set('Authorization', `Bearer ${oldJwt}`)).status).toBe(200);

    const forgot = await app.http.post('/api/auth/password/forgot').send({ email: student.email });
    expect(forgot.status).toBe(200);
    const code = codeIn(await mail.waitFor(student.email, 2));
    const reset = await app.http.post('/api/auth/password/reset').send({ email: student.email, code, password: 'Brand@NewPass77' });
    expect(reset.status).toBe(200);

    for (const token of [oldJwt, student.jwt]) {
      expect((await app.http.get('/api/users/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    }
    const refresh = await app.http.post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(refresh.status).toBe(401);
    expect((await app.http.post('/api/auth/local').send({ identifier: student.email, password: PASSWORD })).status).toBe(400);
    expect((await app.http.post('/api/auth/local').send({ identifier: student.email, password: 'Brand@NewPass77' })).status).toBe(200);
  });

  it('gives an unknown email exactly the answer a known one gets, and sends nothing', async () => {
    const { email } = await verifiedStudent('known');
    const unknown = newEmail('nobody');
    const known = await app.http.post('/api/auth/password/forgot').send({ email });
    const stranger = await app.http.post('/api/auth/password/forgot').send({ email: unknown });
    expect(stranger.status).toBe(known.status);
    expect(stranger.body).toEqual(known.body);
    await mail.waitFor(email, 2);
    expect(mail.inbox(unknown)).toHaveLength(0);
    expect(await otps().count({ where: { email: unknown } })).toBe(0);
  });

  it('refuses a weak new password with a message, keeping the old one', async () => {
    const student = await verifiedStudent('weak');
    await app.http.post('/api/auth/password/forgot').send({ email: student.email }).expect(200);
    const code = codeIn(await mail.waitFor(student.email, 2));
    const res = await app.http.post('/api/auth/password/reset').send({ email: student.email, code, password: 'password' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/password: use at least 10 characters/);
    expect((await app.http.post('/api/auth/local').send({ identifier: student.email, password: PASSWORD })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('rotates refresh tokens and refuses a reused one', async () => {
    const student = await verifiedStudent('rotate');
    const first = await app.http.post('/api/auth/refresh').send({ refreshToken: student.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(student.refreshToken);
    const reused = await app.http.post('/api/auth/refresh').send({ refreshToken: student.refreshToken });
    expect(reused.status).toBe(401);
    expect((await app.http.get('/api/users/me').set('Authorization', `Bearer ${first.body.jwt}`)).status).toBe(200);
  });
});

describe('bad input', () => {
  it.each([
    ['/api/auth/local/register', { email: 'not-an-email', password: PASSWORD }, /email: enter a valid email/],
    ['/api/auth/local/register', { email: 'a@b.co', password: 'short1A' }, /password: use at least 10/],
    ['/api/auth/local/register', { email: 'a@b.co', password: 'alllowercase123' }, /mix upper- and lower-case/],
    ['/api/auth/local/register', { email: 'a@b.co', password: PASSWORD, role: 1 }, /role/],
    ['/api/auth/local/register', { email: 'a@b.co', password: PASSWORD }, /displayName is required/],
    ['/api/auth/local/register', { email: 'a@b.co', password: PASSWORD, displayName: 'Tab\there' }, /displayName: use letters, digits/],
    ['/api/auth/otp/verify', { email: 'a@b.co', code: '123456', registration: 'short' }, /registration is not valid/],
    ['/api/auth/otp/resend', { email: 'a@b.co' }, /registration is required/],
    ['/api/auth/otp/verify', { email: 'a@b.co', code: '12ab56' }, /code: the code is the 6 digits/],
    ['/api/auth/otp/verify', { email: 'a@b.co' }, /code is required/],
    ['/api/auth/otp/resend', { email: 42 }, /email/],
    ['/api/auth/password/forgot', {}, /email is required/],
    ['/api/auth/password/reset', { email: 'a@b.co', code: '123456', password: PASSWORD, confirmed: true }, /confirmed/],
  ])('%s refuses %j with a 400 naming the problem', async (path, body, message) => {
    const before = await users().count();
    const res = await app.http.post(path).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.message).toMatch(message);
    expect(await users().count()).toBe(before);
  });

  it('no longer serves the link-based reset and confirmation routes', async () => {
    for (const path of ['/api/auth/forgot-password', '/api/auth/reset-password', '/api/auth/send-email-confirmation']) {
      // 404, or 405 where a GET twin of the path remains; either way no handler runs.
      expect([404, 405]).toContain((await app.http.post(path).send({ email: 'a@b.co' })).status);
    }
  });
});
