/**
 * Account security: nobody can pre-register someone else's email and keep a password to it;
 * change-password follows the sign-up rule, is rate-limited and ends the other sessions;
 * sign-in and sign-up answer the same way (and as fast) whether an email has an account;
 * display names (set at sign-up, edited at PUT /api/account/profile, shown to mentors instead
 * of emails).
 */
import path from 'node:path';
import { startStrapi, type TestApp } from './helpers/strapi';
import { startMailbox, codeIn, type Mailbox } from './helpers/mailbox';
import { adminAuth } from './helpers/payments';
import { connectClient, listen } from './helpers/realtime';
import { courseId, scheduleSession } from './helpers/live';

let app: TestApp;
let mail: Mailbox;
// The app's own limiter module (the compiled one Strapi loaded): tests that send many requests
// from one address start from fresh counts instead of waiting for the window to pass.
const { resetLimiters } = require(path.resolve(__dirname, '..', 'dist', 'src', 'security', 'rate-limit.js'));

beforeAll(async () => {
  mail = await startMailbox();
  app = await startStrapi({ ...mail.env, AUTH_RATE_LIMIT_WINDOW_SECONDS: '600' });
});
afterAll(async () => {
  await app?.stop();
  await mail?.close();
});
beforeEach(() => resetLimiters());

const OWNER_PASSWORD = 'Owner@Skillyug42';
const ATTACKER_PASSWORD = 'Attacker@Evil999';
let counter = 0;
const newEmail = (label: string) => `${label}-${Date.now()}-${++counter}@mail.test`;
const users = () => app.strapi.db.query('plugin::users-permissions.user');

/** Signs up; returns the sign-up's token and the code of the n-th email to the address. */
async function signUp(email: string, password: string, displayName: string, nth = 1) {
  const res = await app.http.post('/api/auth/local/register').send({ email, password, displayName });
  expect(res.status).toBe(200);
  const message = await mail.waitFor(email, nth);
  return { registration: res.body.registration as string, code: codeIn(message), body: res.body };
}

const verify = (email: string, code: string, registration: string) => app.http.post('/api/auth/otp/verify').send({ email, code, registration });
const signIn = (identifier: string, password: string) => app.http.post('/api/auth/local').send({ identifier, password });

async function verifiedStudent(label: string, displayName = 'Meera Iyer') {
  const email = newEmail(label);
  const { code, registration } = await signUp(email, OWNER_PASSWORD, displayName);
  const res = await verify(email, code, registration);
  expect(res.status).toBe(200);
  return { email, id: res.body.user.id as number, jwt: res.body.jwt as string, refreshToken: res.body.refreshToken as string };
}

describe('pre-registering someone else’s email', () => {
  it('makes one account when two sign-ups of a new email race, and either sign-up can verify it', async () => {
    const email = newEmail('race');
    const [first, second] = await Promise.all([
      app.http.post('/api/auth/local/register').send({ email, password: OWNER_PASSWORD, displayName: 'Owner' }),
      app.http.post('/api/auth/local/register').send({ email, password: ATTACKER_PASSWORD, displayName: 'Attacker' }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    // Both sign-ups' codes arrive: both ran to the end, and one account holds them.
    const messages = [await mail.waitFor(email, 1), await mail.waitFor(email, 2)];
    expect(await users().count({ where: { email } })).toBe(1);
    const codes = messages.map(codeIn);
    // Whichever code belongs to the owner's sign-up confirms the owner's password.
    const verified = await Promise.all(codes.map((code) => verify(email, code, first.body.registration)));
    expect(verified.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await signIn(email, OWNER_PASSWORD)).status).toBe(200);
    expect((await signIn(email, ATTACKER_PASSWORD)).status).toBe(400);
  });

  it('leaves the attacker without the account when the owner signs up and verifies', async () => {
    const email = newEmail('victim');
    await signUp(email, ATTACKER_PASSWORD, 'Attacker', 1);
    // The unconfirmed account holds no password: not the attacker's.
    expect((await users().findOne({ where: { email } })).password).toBeNull();

    const owner = await signUp(email, OWNER_PASSWORD, 'Priya Shah', 2);
    const verified = await verify(email, owner.code, owner.registration);
    expect(verified.status).toBe(200);
    expect(verified.body.user.displayName).toBe('Priya Shah');

    expect((await signIn(email, OWNER_PASSWORD)).status).toBe(200);
    const attacker = await signIn(email, ATTACKER_PASSWORD);
    expect(attacker.status).toBe(400);
    expect(attacker.body.error.message).toBe('Invalid identifier or password');
  });

  it('does not let a later sign-up’s code (or its resend) confirm the account for the attacker', async () => {
    const email = newEmail('race');
    const owner = await signUp(email, OWNER_PASSWORD, 'Priya Shah', 1);
    // The attacker signs up again after the owner, and asks for their code again: two more
    // emails land in the owner's inbox, the newest ones.
    const attacker = await signUp(email, ATTACKER_PASSWORD, 'Attacker', 2);
    await app.http.post('/api/auth/otp/resend').send({ email, registration: attacker.registration }).expect(200);
    const resent = codeIn(await mail.waitFor(email, 3));

    // The owner types the newest code: with their own sign-up it is simply not right …
    for (const code of [attacker.code, resent]) {
      if (code === owner.code) continue; // a 1-in-a-million collision of two random codes
      const wrong = await verify(email, code, owner.registration);
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details.reason).toBe('invalid');
    }
    // … the owner's own code still works, with the owner's password.
    expect((await verify(email, owner.code, owner.registration)).status).toBe(200);
    expect((await signIn(email, OWNER_PASSWORD)).status).toBe(200);
    expect((await signIn(email, ATTACKER_PASSWORD)).status).toBe(400);

    // Once confirmed, every other sign-up is over: its code and its resend do nothing.
    expect((await verify(email, resent, attacker.registration)).status).toBe(400);
    resetLimiters(); // the resend cooldown
    await app.http.post('/api/auth/otp/resend').send({ email, registration: attacker.registration }).expect(200);
    // A reset request queued after the resend: once its email is in, the resend's work is done too.
    await app.http.post('/api/auth/password/forgot').send({ email }).expect(200);
    expect((await mail.waitFor(email, 4)).subject).toMatch(/password reset code/);
    expect(mail.inbox(email).map((m) => (m.subject ?? '').replace(/\d{6}/, 'CODE'))).toEqual([
      'Your Skillyug verification code: CODE',
      'Your Skillyug verification code: CODE',
      'Your Skillyug verification code: CODE',
      'Your Skillyug password reset code: CODE',
    ]);
    expect((await signIn(email, ATTACKER_PASSWORD)).status).toBe(400);
  });

  it('lets the inbox owner take an unconfirmed account over by reset; the attacker’s sign-up dies', async () => {
    const email = newEmail('reset-unconfirmed');
    const attacker = await signUp(email, ATTACKER_PASSWORD, 'Attacker', 1);
    await app.http.post('/api/auth/password/forgot').send({ email }).expect(200);
    const resetCode = codeIn(await mail.waitFor(email, 2));
    const reset = await app.http.post('/api/auth/password/reset').send({ email, code: resetCode, password: OWNER_PASSWORD });
    expect(reset.status).toBe(200);

    expect((await signIn(email, OWNER_PASSWORD)).status).toBe(200);
    expect((await signIn(email, ATTACKER_PASSWORD)).status).toBe(400);
    // Even holding the code from the owner's inbox, the attacker's sign-up can no longer verify.
    expect((await verify(email, attacker.code, attacker.registration)).status).toBe(400);
    expect((await signIn(email, OWNER_PASSWORD)).status).toBe(200);
  });

  it('tells the one who signed up (right password) to verify first, and anyone else nothing', async () => {
    const email = newEmail('early');
    await signUp(email, OWNER_PASSWORD, 'Priya Shah');
    const early = await signIn(email, OWNER_PASSWORD);
    expect(early.status).toBe(400);
    expect(early.body.error.details.reason).toBe('email-not-verified');
    const guess = await signIn(email, ATTACKER_PASSWORD);
    expect(guess.status).toBe(400);
    expect(guess.body.error.message).toBe('Invalid identifier or password');
  });

  it('refuses a code without the sign-up it belongs to', async () => {
    const email = newEmail('no-token');
    const { code } = await signUp(email, OWNER_PASSWORD, 'Priya Shah');
    const res = await app.http.post('/api/auth/otp/verify').send({ email, code });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/registration is required/);
    expect((await verify(email, code, 'x'.repeat(32))).status).toBe(400);
  });
});

describe('change password', () => {
  const change = (jwt: string, body: Record<string, unknown>) => app.http.post('/api/auth/change-password').set('Authorization', `Bearer ${jwt}`).send(body);

  it('applies the sign-up password rule', async () => {
    const student = await verifiedStudent('change-rule');
    for (const [password, message] of [
      ['alllowercase123', /password: mix upper- and lower-case/],
      ['Short1a', /password: use at least 10 characters/],
      ['Aa1Aa1Aa1Aa1Aa1', /password: use a less repetitive password/],
    ] as const) {
      const res = await change(student.jwt, { currentPassword: OWNER_PASSWORD, password, passwordConfirmation: password });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const mismatch = await change(student.jwt, { currentPassword: OWNER_PASSWORD, password: 'Brand@NewPass77', passwordConfirmation: 'Brand@NewPass78' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.message).toMatch(/passwordConfirmation: the passwords do not match/);
    expect((await signIn(student.email, OWNER_PASSWORD)).status).toBe(200);
  });

  it('limits wrong current passwords per account with 429 and Retry-After, even for the right one after', async () => {
    const student = await verifiedStudent('change-guess');
    const body = (currentPassword: string) => ({ currentPassword, password: 'Brand@NewPass77', passwordConfirmation: 'Brand@NewPass77' });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await change(student.jwt, body(`Guess@Number${i}x`))).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    const limited = await change(student.jwt, body(OWNER_PASSWORD));
    expect(limited.status).toBe(429);
    expect(limited.body.error.name).toBe('RateLimitError');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn(student.email, OWNER_PASSWORD)).status).toBe(200); // unchanged

    // The limit is this account's: another student from the same address may still change theirs.
    const other = await verifiedStudent('change-other');
    expect((await change(other.jwt, { currentPassword: OWNER_PASSWORD, password: 'Brand@NewPass77', passwordConfirmation: 'Brand@NewPass77' })).status).toBe(200);
  });

  it('does not count right answers against the limit', async () => {
    const student = await verifiedStudent('change-often');
    let jwt = student.jwt;
    let current = OWNER_PASSWORD;
    for (let i = 0; i < 7; i += 1) {
      const next = `Changed@Often${i}x`;
      const res = await change(jwt, { currentPassword: current, password: next, passwordConfirmation: next });
      expect(res.status).toBe(200);
      ({ jwt } = res.body);
      current = next;
    }
  });

  it('ends every other session; this device gets a new one', async () => {
    const student = await verifiedStudent('change-sessions');
    const otherDevice = (await signIn(student.email, OWNER_PASSWORD)).body;
    const me = (jwt: string) => app.http.get('/api/users/me').set('Authorization', `Bearer ${jwt}`);
    expect((await me(otherDevice.jwt)).status).toBe(200);

    const res = await change(student.jwt, { currentPassword: OWNER_PASSWORD, password: 'Brand@NewPass77', passwordConfirmation: 'Brand@NewPass77' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jwt: expect.any(String), refreshToken: expect.any(String), user: { email: student.email } });
    expect(res.body.user).not.toHaveProperty('password');

    expect((await me(otherDevice.jwt)).status).toBe(401);
    expect((await app.http.post('/api/auth/refresh').send({ refreshToken: otherDevice.refreshToken })).status).toBe(401);
    expect((await me(student.jwt)).status).toBe(401); // this device's old pair too …
    expect((await me(res.body.jwt)).status).toBe(200); // … replaced by the new one
    expect((await app.http.post('/api/auth/refresh').send({ refreshToken: res.body.refreshToken })).status).toBe(200);
    expect((await signIn(student.email, OWNER_PASSWORD)).status).toBe(400);
    expect((await signIn(student.email, 'Brand@NewPass77')).status).toBe(200);
  });

  it('refuses a caller without a session', async () => {
    const res = await app.http.post('/api/auth/change-password').send({ currentPassword: OWNER_PASSWORD, password: 'Brand@NewPass77', passwordConfirmation: 'Brand@NewPass77' });
    expect([401, 403]).toContain(res.status);
  });
});

describe('no account oracle', () => {
  const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

  it('answers a sign-up identically for a new, a confirmed and an unconfirmed email', async () => {
    const confirmed = (await verifiedStudent('oracle-confirmed')).email;
    const unconfirmed = newEmail('oracle-unconfirmed');
    await signUp(unconfirmed, OWNER_PASSWORD, 'Priya Shah');
    const answers = [];
    for (const email of [newEmail('oracle-new'), confirmed, unconfirmed]) {
      const res = await app.http.post('/api/auth/local/register').send({ email, password: ATTACKER_PASSWORD, displayName: 'Someone' });
      answers.push({ status: res.status, body: { ...res.body, message: res.body.message.replace(email, '<email>'), registration: typeof res.body.registration } });
      expect(res.body.registration).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    // A client can't choose a username (which could be "taken"): the field is refused for everyone alike.
    const withUsername = await app.http.post('/api/auth/local/register').send({ email: confirmed, password: ATTACKER_PASSWORD, displayName: 'x', username: 'asha' });
    expect(withUsername.status).toBe(400);
    expect(withUsername.body.error.message).toMatch(/username/);
  });

  it('takes about as long to refuse an unknown email as a known one with a wrong password', async () => {
    const known = await verifiedStudent('timing-known');
    const unconfirmed = newEmail('timing-unconfirmed');
    await signUp(unconfirmed, OWNER_PASSWORD, 'Priya Shah');
    const time = async (identifier: string) => {
      resetLimiters();
      const started = process.hrtime.bigint();
      const res = await signIn(identifier, 'Wrong@Password1');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('Invalid identifier or password');
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const samples: Record<string, number[]> = { known: [], unknown: [], unconfirmed: [] };
    // Interleaved, so a burst of load on the machine hits all three alike.
    for (let i = 0; i < 11; i += 1) {
      samples.known.push(await time(known.email));
      samples.unknown.push(await time(newEmail('timing-unknown')));
      samples.unconfirmed.push(await time(unconfirmed));
    }
    const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    // A password check (bcrypt) dominates each answer; without it an unknown email answered ~10x faster.
    expect(medians.unknown / medians.known).toBeGreaterThan(1 / 3);
    expect(medians.unknown / medians.known).toBeLessThan(3);
    expect(medians.unconfirmed / medians.known).toBeGreaterThan(1 / 3);
    expect(medians.unconfirmed / medians.known).toBeLessThan(3);
  });

  it('answers a sign-up of a registered email as fast as a new one', async () => {
    const confirmed = (await verifiedStudent('timing-signup')).email;
    const time = async (email: string, nth: number) => {
      resetLimiters();
      const started = process.hrtime.bigint();
      await app.http.post('/api/auth/local/register').send({ email, password: OWNER_PASSWORD, displayName: 'Someone' }).expect(200);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      await mail.waitFor(email, nth); // the work after the answer is done before the next one starts
      return ms;
    };
    const fresh: number[] = [];
    const taken: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      fresh.push(await time(newEmail('timing-new'), 1));
      taken.push(await time(confirmed, i + 2));
    }
    // Hashing the new password happens after the answer, for new and registered emails alike.
    expect(median(fresh) / median(taken)).toBeLessThan(3);
    expect(median(taken) / median(fresh)).toBeLessThan(3);
  });
});

describe('display names', () => {
  const profile = (jwt: string | undefined, body: unknown) => {
    const req = app.http.put('/api/account/profile');
    return (jwt ? req.set('Authorization', `Bearer ${jwt}`) : req).send(body as object);
  };

  it('is asked at sign-up, shown by /users/me and editable by its owner only', async () => {
    const student = await verifiedStudent('named', '  Rohan Gupta ');
    const me = await app.http.get('/api/users/me').set('Authorization', `Bearer ${student.jwt}`);
    expect(me.body.displayName).toBe('Rohan Gupta');

    const changed = await profile(student.jwt, { displayName: ' Rohan G. ' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: student.id, displayName: 'Rohan G.' });
    expect(changed.body).not.toHaveProperty('password');
    expect((await app.http.get('/api/users/me').set('Authorization', `Bearer ${student.jwt}`)).body.displayName).toBe('Rohan G.');

    expect([401, 403]).toContain((await profile(undefined, { displayName: 'Nobody' })).status);
  });

  it.each([
    [{ displayName: '' }, /displayName: enter your name/],
    [{ displayName: '   ' }, /displayName: enter your name/],
    [{ displayName: 'x'.repeat(61) }, /displayName: use at most 60 characters/],
    [{ displayName: 'Bell\u0007' }, /displayName: use letters, digits/],
    [{ displayName: 'Right\u202eto left' }, /displayName: use letters, digits/],
    [{}, /displayName is required/],
    [{ displayName: 'Fine', email: 'other@mail.test' }, /email/],
    [{ displayName: 'Fine', confirmed: false }, /confirmed/],
  ])('refuses %j with a 400 naming the problem', async (body, message) => {
    const student = await verifiedStudent('bad-name');
    const res = await profile(student.jwt, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect((await users().findOne({ where: { id: student.id } })).displayName).toBe('Meera Iyer');
  });

  it('is what the mentor sees in the viewer list, not the email', async () => {
    const student = await verifiedStudent('viewer', 'Ishaan Verma');
    const course = await courseId(app, 'javascript-foundations');
    expect([200, 201]).toContain((await app.http.post(`/api/courses/${course}/enroll`).set('Authorization', `Bearer ${student.jwt}`)).status);
    const { auth: owner } = await adminAuth(app, { email: 'ananya.rao@skillyug.local' });
    const session = await scheduleSession(app, owner, { courseId: course });
    expect((await app.http.post(`/api/live/sessions/${session.id}/start`).set(owner).send({})).status).toBe(200);
    const join = await app.http.get(`/api/live/sessions/${session.id}/join`).set('Authorization', `Bearer ${student.jwt}`);
    expect(join.status).toBe(200);
    // Watching now comes from the classroom's live connection.
    const classroom = connectClient(await listen(app), { token: join.body.data.realtime.token });
    try {
      expect((await classroom.waitForEvent('ready')).me.name).toBe('Ishaan Verma');
      const viewers = await app.http.get(`/api/live/sessions/${session.id}/viewers`).set(owner);
      expect(viewers.status).toBe(200);
      expect(viewers.body.data.viewers).toEqual([expect.objectContaining({ userId: student.id, name: 'Ishaan Verma' })]);
      expect(JSON.stringify(viewers.body)).not.toContain(student.email);
      const attendance = await app.http.get(`/api/live/sessions/${session.id}/attendance`).set(owner);
      expect(attendance.body.data).toEqual([expect.objectContaining({ userId: student.id, name: 'Ishaan Verma' })]);
      expect(JSON.stringify(attendance.body)).not.toContain(student.email);
    } finally {
      classroom.close();
    }
  });
});
