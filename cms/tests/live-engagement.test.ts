import { startStrapi, signInNewStudent, type TestApp } from './helpers/strapi';
import { liveActors, scheduleSession, sessionRow, ATTENDEE_UID, SESSION_UID, type LiveActors } from './helpers/live';

/**
 * Engagement analytics and attendance that counts as learning. A class's chat, Q&A, polls and
 * signals are written straight into their tables (as the classroom's services store them), the
 * class is ended through the API, and every figure is checked exactly.
 */

const CHAT_UID = 'plugin::live.live-chat-message';
const QUESTION_UID = 'plugin::live.live-question';
const POLL_UID = 'plugin::live.live-poll';
const POLL_VOTE_UID = 'plugin::live.live-poll-vote';
const SIGNAL_UID = 'plugin::live.live-signal';

/** Attended = watched at least this share of the class (LIVE_ATTENDED_MIN_SHARE, set for this file). */
const SHARE = 0.6;
/** The seeded class began this long before it is ended: 0.6 of it is 600 s (plus 0.6 s per second the test takes). */
const CLASS_SECONDS = 1000;

let app: TestApp;
let who: LiveActors;
type Student = Awaited<ReturnType<typeof signInNewStudent>>;
let ada: Student;
let ben: Student;
let cara: Student;
let dana: Student;

beforeAll(async () => {
  app = await startStrapi({ LIVE_ATTENDED_MIN_SHARE: String(SHARE) });
  who = await liveActors(app);
  [ada, ben, cara, dana] = await Promise.all(['ada', 'ben', 'cara', 'dana'].map((name) => signInNewStudent(app, `engaged-${name}`)));
  for (const [student, name] of [[ada, 'Ada'], [ben, 'Ben'], [cara, 'Cara'], [dana, 'Dana']] as const) {
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: student.id }, data: { displayName: name } });
  }
});
afterAll(async () => {
  delete process.env.LIVE_ATTENDED_MIN_SHARE;
  await app?.stop();
});

const at = (t0: number, seconds: number) => new Date(t0 + seconds * 1000);
const db = (uid: string) => app.strapi.db.query(uid as any);

/** A live class that "started" CLASS_SECONDS ago; returns its documentId, row id and start time. */
async function liveClass(title: string) {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title });
  const start = await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({});
  expect(start.status).toBe(200);
  const t0 = Date.now() - CLASS_SECONDS * 1000;
  const row = await sessionRow(app, session.id);
  await db(SESSION_UID).update({ where: { id: row.id }, data: { startedAt: new Date(t0) } });
  return { id: session.id, rowId: row.id as number, t0 };
}

/** A closed attendance of `seconds` from `fromSecond` (or, with `open`, still watching since then). */
async function attend(sessionId: number, student: Student, t0: number, fromSecond: number, seconds: number, open = false) {
  await db(ATTENDEE_UID).create({
    data: {
      sessionId,
      userId: student.id,
      joinedAt: at(t0, fromSecond),
      leftAt: open ? null : at(t0, fromSecond + seconds),
      activeSince: open ? at(t0, fromSecond) : null,
      watchDuration: open ? 0 : seconds,
      intervals: [[at(t0, fromSecond).toISOString(), open ? null : at(t0, fromSecond + seconds).toISOString()]],
    },
  });
}

const endClass = async (id: string) => {
  const res = await app.http.post(`/api/live/sessions/${id}/end`).set(who.owner.auth).send({});
  expect(res.status).toBe(200);
  expect(res.body.data.status).toBe('ENDED');
  return res.body.data as { endedAt: string; startedAt: string };
};

describe('a class with chat, Q&A, polls and signals', () => {
  let main: Awaited<ReturnType<typeof liveClass>>;
  let second: Awaited<ReturnType<typeof liveClass>>;
  let signalTimes: { kind: 'lost' | 'slow-down'; at: Date }[];

  beforeAll(async () => {
    main = await liveClass('Closures, engaged');
    const { rowId: sid, t0 } = main;

    // Attendance: Ada all of it, Ben just over 0.6 of it, Cara just under, Dana still watching when it ends.
    await attend(sid, ada, t0, 0, 1000);
    await attend(sid, ben, t0, 0, 610);
    await attend(sid, cara, t0, 100, 599);
    await attend(sid, dana, t0, 300, 0, true);

    // Chat: Ada 3, Ben 1 (+1 deleted), the mentor 2, one system entry.
    const chat: [Student | 'mentor' | 'system', string, boolean][] = [
      ['system', 'class-started', false], [ada, 'Hi!', false], [ada, 'What is a closure?', false], [ben, 'Oops', true],
      ['mentor', 'Welcome everyone', false], ['mentor', 'Let us start', false], [ben, 'Got it', false], [ada, 'Thanks', false],
    ];
    // Far above the class's own system messages (class started / ended), which take theirs from chatSeq.
    const firstSeq = 1000;
    for (const [i, [author, text, deleted]] of chat.entries()) {
      const seq = firstSeq + i;
      await db(CHAT_UID).create({
        data: {
          sessionId: sid,
          seq,
          type: author === 'system' ? 'SYSTEM' : 'CHAT',
          text,
          sentAt: at(t0, (i + 1) * 10),
          offsetMs: (i + 1) * 10_000,
          userId: author === 'system' ? null : author === 'mentor' ? who.owner.id : author.id,
          authorKind: author === 'system' ? null : author === 'mentor' ? 'mentor' : 'student',
          authorName: author === 'mentor' ? 'Ananya Rao' : 'Student',
          deletedAt: deleted ? at(t0, (i + 1) * 10 + 1) : null,
        },
      });
    }
    // The class's chat sequence continues after these (the class-ended system message takes the next one).
    await db(SESSION_UID).update({ where: { id: sid }, data: { chatSeq: firstSeq + chat.length } });

    // Q&A: Ada asks two (one answered, one still open), Ben withdraws his, Cara's is dismissed.
    for (const [student, state, second] of [[ada, 'answered', 60], [ada, 'open', 70], [ben, 'withdrawn', 80], [cara, 'dismissed', 90]] as const) {
      await db(QUESTION_UID).create({
        data: { sessionId: sid, userId: student.id, authorName: 'Student', text: `A question at ${second}s`, state, pinned: false, votes: 0, askedAt: at(t0, second), offsetMs: second * 1000 },
      });
    }

    // A poll (Ada and Ben pick A, Cara B), a quiz whose answer is C (Ada and Ben right, Dana wrong), and a draft nobody saw.
    const poll = await db(POLL_UID).create({
      data: { sessionId: sid, question: 'Which topic next?', options: ['A', 'B', 'C'], state: 'closed', revealed: true, launchedAt: at(t0, 200), launchedOffsetMs: 200_000, closedAt: at(t0, 260) },
    });
    const quiz = await db(POLL_UID).create({
      data: { sessionId: sid, question: 'What does the counter print?', options: ['0', '1', '2', '3'], correctOption: 2, state: 'closed', revealed: true, launchedAt: at(t0, 400), launchedOffsetMs: 400_000, closedAt: at(t0, 460) },
    });
    await db(POLL_UID).create({ data: { sessionId: sid, question: 'Never launched', options: ['x', 'y'], state: 'draft', revealed: false } });
    for (const [pollId, student, option] of [[poll.id, ada, 0], [poll.id, ben, 0], [poll.id, cara, 1], [quiz.id, ada, 2], [quiz.id, ben, 2], [quiz.id, dana, 1]] as const) {
      await db(POLL_VOTE_UID).create({ data: { sessionId: sid, pollId, userId: student.id, option, votedAt: at(t0, 420) } });
    }

    // Signals: Cara and Ada lost, Dana asks to slow down.
    signalTimes = [
      { kind: 'lost', at: at(t0, 300) },
      { kind: 'slow-down', at: at(t0, 302) },
      { kind: 'lost', at: at(t0, 900) },
    ];
    for (const [student, signal] of [[cara, signalTimes[0]], [dana, signalTimes[1]], [ada, signalTimes[2]]] as const) {
      await db(SIGNAL_UID).create({ data: { sessionId: sid, userId: student.id, kind: signal.kind, at: signal.at, offsetMs: signal.at.getTime() - t0 } });
    }

    await endClass(main.id);

    // A second class that only Ada attended (ended after the first: the dashboard series is oldest first).
    second = await liveClass('Prototypes, engaged');
    await attend(second.rowId, ada, second.t0, 0, 900);
    await attend(second.rowId, ben, second.t0, 0, 100);
    await endClass(second.id);
  });

  it('reports messages, questions, polls with participation and quiz accuracy, and each student', async () => {
    const res = await app.http.get(`/api/live/sessions/${main.id}/analytics`).set(who.owner.auth);
    expect(res.status).toBe(200);
    const { engagement, timeline } = res.body.data;

    expect(engagement.messages).toEqual({ total: 6, students: 4, mentor: 2 });
    expect(engagement.questions).toEqual({ asked: 4, answered: 1, dismissed: 1, withdrawn: 1, open: 1 });
    expect(engagement.signals).toEqual({ lost: 2, slowDown: 1, students: 3 });
    expect(engagement.attendedStudents).toBe(3);

    // Four students joined: three votes each is a 75 % participation; the quiz: 2 right of 3.
    expect(engagement.polls).toEqual([
      { id: expect.any(Number), question: 'Which topic next?', kind: 'poll', options: ['A', 'B', 'C'], launchedAt: expect.any(String), votes: 3, participationRate: 0.75, counts: [2, 1, 0], correctOption: null, correctVotes: null, accuracy: null },
      { id: expect.any(Number), question: 'What does the counter print?', kind: 'quiz', options: ['0', '1', '2', '3'], launchedAt: expect.any(String), votes: 3, participationRate: 0.75, counts: [0, 1, 2, 0], correctOption: 2, correctVotes: 2, accuracy: 0.6667 },
    ]);

    // Longest watching first; Dana was still watching at the end, so her time ran until it.
    expect(engagement.students).toEqual([
      { userId: ada.id, name: 'Ada', attendedSeconds: 1000, attended: true, messages: 3, questions: 2, votes: 2, quizCorrect: 1, signals: 1 },
      { userId: dana.id, name: 'Dana', attendedSeconds: expect.any(Number), attended: true, messages: 0, questions: 0, votes: 1, quizCorrect: 0, signals: 1 },
      { userId: ben.id, name: 'Ben', attendedSeconds: 610, attended: true, messages: 1, questions: 1, votes: 2, quizCorrect: 1, signals: 0 },
      { userId: cara.id, name: 'Cara', attendedSeconds: 599, attended: false, messages: 0, questions: 1, votes: 1, quizCorrect: 0, signals: 1 },
    ]);
    const danaSeconds = engagement.students[1].attendedSeconds;
    expect(danaSeconds).toBeGreaterThanOrEqual(700);
    expect(danaSeconds).toBeLessThan(760);
    expect(JSON.stringify(res.body)).not.toContain('@test.skillyug.local');

    // The signals sit on the viewers timeline's own instants, each at the one nearest to when it was sent.
    expect(engagement.timeline.map((p: any) => ({ at: p.at, viewers: p.viewers }))).toEqual(timeline);
    const nearest = (t: Date) =>
      timeline.reduce((best: number, p: any, i: number) => (Math.abs(Date.parse(p.at) - t.getTime()) < Math.abs(Date.parse(timeline[best].at) - t.getTime()) ? i : best), 0);
    const expected = timeline.map(() => ({ lost: 0, slowDown: 0 }));
    for (const signal of signalTimes) expected[nearest(signal.at)][signal.kind === 'lost' ? 'lost' : 'slowDown'] += 1;
    expect(engagement.timeline.map((p: any) => ({ lost: p.lost, slowDown: p.slowDown }))).toEqual(expected);
    // Everyone but Cara was watching around the first signals.
    expect(timeline[nearest(signalTimes[0].at)].viewers).toBe(4);
  });

  it('marks attended only those who watched the configured share, once', async () => {
    const rows = await db(ATTENDEE_UID).findMany({ where: { sessionId: main.rowId }, select: ['userId', 'attendedAt'] });
    const attendedAt = new Map<number, string | null>(rows.map((r: any) => [r.userId, r.attendedAt]));
    const session = await sessionRow(app, main.id);
    const lengthSeconds = (new Date(session.endedAt).getTime() - new Date(session.startedAt).getTime()) / 1000;
    // The margins the seed relies on: Cara's 599 s is under 0.6 of the class, Ben's 610 s over it.
    expect(599).toBeLessThan(SHARE * lengthSeconds);
    expect(610).toBeGreaterThanOrEqual(SHARE * lengthSeconds);
    expect(attendedAt.get(cara.id)).toBeNull();
    for (const student of [ada, ben, dana]) expect(new Date(attendedAt.get(student.id)!).toISOString()).toBe(new Date(session.endedAt).toISOString());

    // Ending again (the mentor's second click, a redelivered provider event) changes nothing.
    const again = await app.http.post(`/api/live/sessions/${main.id}/end`).set(who.owner.auth).send({});
    expect(again.status).toBe(200);
    expect(await app.strapi.plugin('live').service('liveEngagement').markAttended(session)).toBe(0);
    const after = await db(ATTENDEE_UID).findMany({ where: { sessionId: main.rowId }, select: ['userId', 'attendedAt'] });
    expect(new Map(after.map((r: any) => [r.userId, r.attendedAt]))).toEqual(attendedAt);
  });

  it('lists a student their own attended classes only, and refuses anyone else', async () => {
    const adaList = await app.http.get('/api/live/me/attended').set(ada.auth);
    expect(adaList.status).toBe(200);
    const session = await sessionRow(app, main.id);
    expect(adaList.body.data).toEqual([
      { id: second.id, title: 'Prototypes, engaged', course: { documentId: who.course, title: expect.any(String), slug: 'javascript-foundations' }, startedAt: expect.any(String), endedAt: expect.any(String), watchSeconds: 900 },
      {
        id: main.id,
        title: 'Closures, engaged',
        course: { documentId: who.course, title: expect.any(String), slug: 'javascript-foundations' },
        startedAt: new Date(session.startedAt).toISOString(),
        endedAt: new Date(session.endedAt).toISOString(),
        watchSeconds: 1000,
      },
    ]);
    const benList = await app.http.get('/api/live/me/attended').set(ben.auth);
    expect(benList.body.data.map((c: any) => c.id)).toEqual([main.id]);
    expect((await app.http.get('/api/live/me/attended').set(cara.auth)).body.data).toEqual([]);

    // A visitor gets users-permissions' 403 like every student route (the Public role doesn't hold the action).
    const anonymous = await app.http.get('/api/live/me/attended');
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.data).toBeNull();
    // Mentors and admins don't attend classes: their token is recognized and refused, not read as a student's.
    for (const admin of [who.owner, who.admin]) {
      const refused = await app.http.get('/api/live/me/attended').set(admin.auth);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/students/);
    }
    expect((await app.http.get('/api/live/me/attended?all=true').set(ada.auth)).status).toBe(400);
  });

  it("charts the mentor's classes over time on the dashboard, oldest first", async () => {
    const res = await app.http.get('/api/live/analytics/dashboard').set(who.owner.auth);
    expect(res.status).toBe(200);
    const series = res.body.data.engagement;
    const ids = series.map((point: any) => point.id);
    expect(ids.indexOf(main.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(second.id)).toBe(ids.indexOf(main.id) + 1);
    expect(series.find((point: any) => point.id === main.id)).toEqual({
      id: main.id,
      title: 'Closures, engaged',
      at: new Date(main.t0).toISOString(),
      attendance: 4,
      attended: 3,
      messages: 6,
      questions: 4,
      polls: 2,
      // 6 votes over 2 polls × 4 students.
      pollParticipation: 0.75,
      lostSignals: 2,
      slowDownSignals: 1,
    });
    expect(series.find((point: any) => point.id === second.id)).toMatchObject({ attendance: 2, attended: 1, messages: 0, questions: 0, polls: 0, pollParticipation: null, lostSignals: 0 });

    // Another mentor's dashboard has none of these classes.
    const other = await app.http.get('/api/live/analytics/dashboard').set(who.otherMentor.auth);
    expect(other.status).toBe(200);
    expect(other.body.data.engagement.map((point: any) => point.id)).not.toContain(main.id);
  });
});
