import { Writable } from 'node:stream';
import { winston } from '@strapi/logger';
import { startStrapi, type TestApp } from './helpers/strapi';
import { liveActors, scheduleSession, sessionRow, type LiveActors } from './helpers/live';

let app: TestApp;
let who: LiveActors;

beforeAll(async () => {
  app = await startStrapi();
  who = await liveActors(app);
});
afterAll(async () => {
  await app?.stop();
});

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

/** Everything Strapi logs while `fn` runs, formatted exactly as its console transport formats it. */
async function capturedLog(fn: () => Promise<unknown>): Promise<string> {
  const logger = app.strapi.log as unknown as winston.Logger;
  const console = logger.transports.find((t) => t instanceof winston.transports.Console)!;
  let output = '';
  const transport = new winston.transports.Stream({
    level: 'http',
    format: console.format,
    stream: new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    }),
  });
  logger.add(transport);
  try {
    await fn();
  } finally {
    logger.remove(transport);
  }
  return output;
}

/** Log entries start with their timestamp; anything else at a line start would be a forgery or a stack frame. */
const entries = (output: string) => output.split('\n').filter((line) => /^\[\d{4}-\d\d-\d\d /.test(line));

describe('log lines built from request input', () => {
  it('escape the newlines and terminal escapes of unknown query keys', async () => {
    const output = await capturedLog(async () => {
      const res = await app.http
        .get('/api/live/sessions?%0a2026-12-01 10:00:00.000 info: forged=1&%1b[31m=x')
        .set(who.owner.auth);
      expect(res.status).toBe(400);
    });
    const refusal = entries(output).filter((line) => line.includes('refused'));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toContain('\\n2026-12-01 10:00:00.000 info: forged');
    expect(refusal[0]).toContain('\\x1b');
    // No line of the output starts with the forged text, and no raw ESC is left besides the level's colour.
    expect(output.split('\n').some((line) => line.startsWith('2026-12-01 10:00:00.000 info: forged'))).toBe(false);
    const withoutLevelColours = output.split('\n').map((line) => line.replace(/^(\[[^\]]+\] )(?:\u001b\[\d+m)*(\w+)(?:\u001b\[\d+m)*:/, '$1$2:'));
    expect(withoutLevelColours.join('\n')).not.toContain('\u001b');
  });
});

describe('live-session text and dates', () => {
  it.each([
    ['a NUL', 'Closures\u0000live'],
    ['a newline', 'Closures\n[2026-12-01] forged'],
    ['an escape sequence', '\u001b[31mClosures'],
    ['a bidi override', 'Closures \u202elive'],
  ])('refuses a title with %s', async (_label, title) => {
    const res = await app.http
      .post('/api/live/sessions')
      .set(who.owner.auth)
      .send({ courseId: who.course, title, scheduledAt: inAnHour() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/title: must be a single line without control characters/);
  });

  it('keeps line breaks in a description but refuses other control characters', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, description: 'Part one:\n\tclosures\r\nPart two: counters' });
    expect((await sessionRow(app, session.id)).description).toBe('Part one:\n\tclosures\r\nPart two: counters');

    const nul = await app.http.put(`/api/live/sessions/${session.id}`).set(who.owner.auth).send({ description: 'bad\u0000byte' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.message).toMatch(/description: must not contain control characters/);
    const title = await app.http.put(`/api/live/sessions/${session.id}`).set(who.owner.auth).send({ title: 'ok\u0007' });
    expect(title.status).toBe(400);
    expect((await sessionRow(app, session.id)).title).toBe('Closures, live');
  });

  it('schedules at most a year ahead, and says so', async () => {
    for (const scheduledAt of ['9999-12-31T10:00:00Z', new Date(Date.now() + 400 * 86_400_000).toISOString()]) {
      const res = await app.http.post('/api/live/sessions').set(who.owner.auth).send({ courseId: who.course, title: 'Far away', scheduledAt });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/scheduledAt: must be within a year from now/);
    }
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, scheduledAt: new Date(Date.now() + 300 * 86_400_000).toISOString() });
    const moved = await app.http.put(`/api/live/sessions/${session.id}`).set(who.owner.auth).send({ scheduledAt: '9999-01-01T00:00:00Z' });
    expect(moved.status).toBe(400);
    expect(moved.body.error.message).toMatch(/within a year/);
    const past = await app.http.post('/api/live/sessions').set(who.owner.auth).send({ courseId: who.course, title: 'Long ago', scheduledAt: '1970-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/scheduledAt: must not be in the past/);
  });
});
