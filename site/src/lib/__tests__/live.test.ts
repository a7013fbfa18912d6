import type * as Server from '../../../../src-plugins/live/server/src/sessions/contracts';
import type * as Realtime from '../../../../src-plugins/live/server/src/realtime/contracts';
import { SESSION_STATUSES } from '../../../../src-plugins/live/server/src/sessions/contracts';
import type { z } from 'zod';
import {
  LIVE_STATUSES,
  joinResponseSchema,
  type leaveResponseSchema,
  type attendedClassSchema,
  type AttendedClass,
  playbackSchema,
  realtimeGrantSchema,
  type publicSessionSchema,
  type JoinResponse,
  type LeaveResponse,
  type PublicSession,
  type RealtimeGrant,
} from '../api';
import { invalidateCatalog } from '../catalog';
import { joinClassroom, liveClassUrl, myAttendedLiveClasses, myUpcomingLiveClasses, sameOrigin, sortLiveClasses, toLiveClass, upcomingLiveClasses } from '../live';
import {
  PLAYER_MESSAGES,
  bufferLatency,
  classroomStatus,
  classroomView,
  countdownText,
  formatClassTime,
  nextStep,
  playbackFresh,
  reconnectDelayMs,
  waitingPollDelayMs,
  type JoinOutcome,
} from '../live-state';
import { GET as joinEndpoint } from '../../pages/api/live/[session]/join';
import { POST as leaveEndpoint } from '../../pages/api/live/[session]/leave';

// ── The site's mirror of the live plugin's contracts (checked by `tsc -p site/tsconfig.json`) ──
// Everything the server sends must parse (server type ⊆ schema input), and everything the site
// reads must be something the server sends (schema output ⊆ server type).
type Fits<A, B> = [A] extends [B] ? true : false;
const contractChecks: [
  Fits<Server.PublicSessionDto, z.input<typeof publicSessionSchema>>,
  Fits<PublicSession, Server.PublicSessionDto>,
  Fits<Server.JoinResponse, z.input<typeof joinResponseSchema>>,
  Fits<JoinResponse, Server.JoinResponse>,
  Fits<Server.Playback, z.input<typeof playbackSchema>>,
  Fits<Server.LeaveResponse, z.input<typeof leaveResponseSchema>>,
  Fits<LeaveResponse, Server.LeaveResponse>,
  Fits<Realtime.RealtimeGrant, z.input<typeof realtimeGrantSchema>>,
  Fits<RealtimeGrant, Realtime.RealtimeGrant>,
  Fits<Server.AttendedClassDto, z.input<typeof attendedClassSchema>>,
  Fits<AttendedClass, Server.AttendedClassDto>,
] = [true, true, true, true, true, true, true, true, true, true, true];

const COURSE = { documentId: 'course0react1', title: 'React for Beginners', slug: 'react-for-beginners' };
const SESSION_ID = 'sess0live0001';

const scheduled: Server.PublicSessionDto = { id: 'sess0sched001', title: 'Hooks Q&A', scheduledAt: '2030-01-02T10:00:00.000Z', status: 'SCHEDULED', course: COURSE };
const live: Server.PublicSessionDto = { id: 'sess0live0001', title: 'State, live', scheduledAt: '2030-01-03T10:00:00.000Z', status: 'LIVE', course: COURSE };

const joinLive: Server.JoinResponse = {
  session: { ...live, description: 'Bring questions.', startedAt: '2030-01-03T10:01:00.000Z', endedAt: null },
  playback: { kind: 'flv', url: 'http://127.0.0.1:8000/live/abc.flv?sign=viewer-grant', wsUrl: 'ws://127.0.0.1:8000/live/abc.flv?sign=viewer-grant', expiresAt: '2030-01-03T10:11:00.000Z' },
  attendee: { joinedAt: '2030-01-03T10:02:00.000Z', watchDuration: 0 },
  realtime: { url: 'http://127.0.0.1:1337', path: '/realtime/', token: 'v1.eyJzZXNzaW9uSWQiOiJ4In0.chat-grant-signature', expiresAt: '2030-01-03T10:32:00.000Z', capabilities: ['read', 'send'] },
};
const joinScheduled: Server.JoinResponse = {
  session: { ...scheduled, description: null, startedAt: null, endedAt: null },
  playback: null,
  attendee: null,
  realtime: { url: 'http://127.0.0.1:1337', path: '/realtime/', token: 'v1.eyJzZXNzaW9uSWQiOiJ5In0.chat-grant-signature', expiresAt: '2030-01-02T10:30:00.000Z', capabilities: ['read', 'send'] },
};

const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const strapiError = (status: number, message: string, details: unknown = {}) =>
  jsonResponse({ data: null, error: { status, name: 'Error', message, details } }, status);

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6NywiZXhwIjo0MTAyNDQ0ODAwfQ.student-secret-signature';

describe('the contract mirror', () => {
  it('matches the live plugin’s types and statuses', () => {
    expect(contractChecks.every(Boolean)).toBe(true);
    expect([...LIVE_STATUSES]).toEqual([...SESSION_STATUSES]);
  });

  it('parses what the server sends and drops anything else', () => {
    const withExtras = {
      ...joinLive,
      streamKey: 'sk_live_SECRET',
      session: { ...joinLive.session, ingestServer: 'rtmp://x/live', streamKey: 'sk_live_SECRET' },
      playback: { ...joinLive.playback, streamKey: 'sk_live_SECRET' },
    };
    const parsed = joinResponseSchema.parse(withExtras);
    expect(parsed).toEqual(joinLive);
    expect(JSON.stringify(parsed)).not.toContain('SECRET');
    expect(joinResponseSchema.parse(joinScheduled)).toEqual(joinScheduled);
  });

  it('refuses playback URLs a player shouldn’t open', () => {
    expect(playbackSchema.safeParse({ ...joinLive.playback, url: 'javascript:alert(1)' }).success).toBe(false);
    expect(playbackSchema.safeParse({ ...joinLive.playback, url: '/relative.flv' }).success).toBe(false);
    expect(playbackSchema.safeParse({ kind: 'ivs', url: 'https://abc.us-west-2.playback.live-video.net/api/video/v1/x.m3u8?token=t', expiresAt: 'x' }).success).toBe(true);
  });

  it('takes the chat grant as it comes, null when there is none, and refuses a socket URL that isn’t an http(s) origin', () => {
    expect(joinResponseSchema.parse({ ...joinLive, realtime: undefined }).realtime).toBeNull();
    expect(joinResponseSchema.parse({ ...joinLive, realtime: null }).realtime).toBeNull();
    expect(realtimeGrantSchema.safeParse({ ...joinLive.realtime, url: 'javascript:alert(1)' }).success).toBe(false);
    expect(realtimeGrantSchema.safeParse({ ...joinLive.realtime, url: 'http://127.0.0.1:1337/elsewhere' }).success).toBe(false);
  });
});

describe('upcoming live classes', () => {
  let fetchMock: jest.SpiedFunction<typeof fetch>;
  let errorLog: jest.SpiedFunction<typeof console.error>;
  beforeEach(() => {
    invalidateCatalog();
    fetchMock = jest.spyOn(globalThis, 'fetch');
    errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    fetchMock.mockRestore();
    errorLog.mockRestore();
  });

  it('asks the public endpoint for one course and maps the sessions', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: [live, scheduled] }));
    const classes = await upcomingLiveClasses(COURSE.documentId);
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/live/upcoming');
    expect(url.searchParams.get('course')).toBe(COURSE.documentId);
    expect(url.searchParams.get('limit')).toBe('10');
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(classes).toEqual([
      { id: live.id, title: live.title, startsAt: live.scheduledAt, status: 'LIVE', live: true, courseDocumentId: COURSE.documentId, courseSlug: COURSE.slug, courseTitle: COURSE.title },
      { id: scheduled.id, title: scheduled.title, startsAt: scheduled.scheduledAt, status: 'SCHEDULED', live: false, courseDocumentId: COURSE.documentId, courseSlug: COURSE.slug, courseTitle: COURSE.title },
    ]);
  });

  it('caches briefly, single-flight', async () => {
    fetchMock.mockResolvedValue(jsonResponse({ data: [scheduled] }));
    await Promise.all([upcomingLiveClasses(COURSE.documentId), upcomingLiveClasses(COURSE.documentId)]);
    await upcomingLiveClasses(COURSE.documentId);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('renders nothing (and logs) when the API fails or answers nonsense', async () => {
    fetchMock.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    await expect(upcomingLiveClasses(COURSE.documentId)).resolves.toEqual([]);
    fetchMock.mockResolvedValueOnce(strapiError(500, 'boom'));
    await expect(upcomingLiveClasses('course0other1')).resolves.toEqual([]);
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: [{ id: 1 }] }));
    await expect(upcomingLiveClasses('course0third1')).resolves.toEqual([]);
    expect(errorLog).toHaveBeenCalledTimes(3);
  });

  it('does not cache a failure', async () => {
    fetchMock.mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(jsonResponse({ data: [scheduled] }));
    expect(await upcomingLiveClasses(COURSE.documentId)).toEqual([]);
    expect(await upcomingLiveClasses(COURSE.documentId)).toHaveLength(1);
  });

  it('asks once for all the student’s courses, in chunks of 50, merged and sorted', async () => {
    expect(await myUpcomingLiveClasses([])).toEqual([]);
    expect(fetchMock).not.toHaveBeenCalled();

    const ids = Array.from({ length: 60 }, (_, i) => `course${String(i).padStart(6, '0')}`);
    fetchMock
      .mockResolvedValueOnce(jsonResponse({ data: [scheduled] }))
      .mockResolvedValueOnce(jsonResponse({ data: [live, scheduled] }));
    const classes = await myUpcomingLiveClasses([...ids, 'NOT AN ID']);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    const first = new URL(String(fetchMock.mock.calls[0][0])).searchParams.get('course')!.split(',');
    const second = new URL(String(fetchMock.mock.calls[1][0])).searchParams.get('course')!.split(',');
    expect(first).toHaveLength(50);
    expect(second).toHaveLength(10);
    expect(classes.map((c) => c.id)).toEqual([live.id, scheduled.id]);
  });

  it('keeps only scheduled and live classes, live first then soonest', () => {
    expect(toLiveClass({ ...scheduled, status: 'ENDED' })).toBeNull();
    expect(toLiveClass({ ...scheduled, course: null })).toMatchObject({ courseSlug: null, courseTitle: '' });
    const later = toLiveClass({ ...scheduled, id: 'b', scheduledAt: '2030-02-01T00:00:00Z' })!;
    const sooner = toLiveClass({ ...scheduled, id: 'a', scheduledAt: '2030-01-01T00:00:00Z' })!;
    const now = toLiveClass({ ...live, id: 'c', scheduledAt: '2030-03-01T00:00:00Z' })!;
    expect(sortLiveClasses([later, sooner, now]).map((c) => c.id)).toEqual(['c', 'a', 'b']);
  });

  it('links to the classroom with the course as a hint', () => {
    expect(liveClassUrl({ id: SESSION_ID })).toBe(`/live/${SESSION_ID}`);
    expect(liveClassUrl({ id: SESSION_ID, courseSlug: COURSE.slug })).toBe(`/live/${SESSION_ID}?course=${COURSE.slug}`);
  });
});

describe('attended live classes', () => {
  let fetchMock: jest.SpiedFunction<typeof fetch>;
  let errorLog: jest.SpiedFunction<typeof console.error>;
  beforeEach(() => {
    fetchMock = jest.spyOn(globalThis, 'fetch');
    errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    fetchMock.mockRestore();
    errorLog.mockRestore();
  });

  const OTHER = { documentId: 'course0node01', title: 'Node', slug: 'node' };
  const attended = (id: string, course: typeof COURSE | null): Server.AttendedClassDto => ({
    id,
    title: `Class ${id}`,
    course,
    startedAt: '2030-01-03T10:01:00.000Z',
    endedAt: '2030-01-03T11:00:00.000Z',
    watchSeconds: 3000,
  });

  it('asks with the student’s token and groups the classes by course, in the API’s order', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: [attended('a', COURSE), attended('b', OTHER), attended('c', COURSE), attended('d', null)] }));
    const byCourse = await myAttendedLiveClasses(TOKEN);
    expect(new URL(String(fetchMock.mock.calls[0][0])).pathname).toBe('/api/live/me/attended');
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
    expect([...byCourse.keys()]).toEqual([COURSE.documentId, OTHER.documentId]);
    expect(byCourse.get(COURSE.documentId)!.map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('shows none (and logs) when the API fails or answers nonsense', async () => {
    fetchMock.mockResolvedValueOnce(strapiError(500, 'boom')).mockResolvedValueOnce(jsonResponse({ data: [{ id: 1 }] }));
    expect((await myAttendedLiveClasses(TOKEN)).size).toBe(0);
    expect((await myAttendedLiveClasses(TOKEN)).size).toBe(0);
    expect(errorLog).toHaveBeenCalledTimes(2);
  });
});

describe('joining', () => {
  let fetchMock: jest.SpiedFunction<typeof fetch>;
  beforeEach(() => {
    fetchMock = jest.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchMock.mockRestore());

  it('joins with the student’s token and passes the response through', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: joinLive }));
    expect(await joinClassroom(TOKEN, SESSION_ID)).toEqual({ ok: true, data: joinLive });
    const [url, init] = fetchMock.mock.calls[0];
    expect(new URL(String(url)).pathname).toBe(`/api/live/sessions/${SESSION_ID}/join`);
    expect(init?.method).toBe('GET');
    expect((init?.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('turns refusals into outcomes, with the reason and the course to enroll in', async () => {
    fetchMock.mockResolvedValueOnce(strapiError(403, 'Enroll in React for Beginners to join this class.', { course: { slug: COURSE.slug, documentId: COURSE.documentId } }));
    expect(await joinClassroom(TOKEN, SESSION_ID)).toEqual({ ok: false, status: 403, message: 'Enroll in React for Beginners to join this class.', courseSlug: COURSE.slug });
    // An ended or cancelled class's refusal names the class, so a reloaded classroom keeps its title and course.
    fetchMock.mockResolvedValueOnce(strapiError(409, 'This class was cancelled.', { reason: 'cancelled', session: joinLive.session }));
    expect(await joinClassroom(TOKEN, SESSION_ID)).toEqual({ ok: false, status: 409, message: 'This class was cancelled.', reason: 'cancelled', session: joinLive.session });
    fetchMock.mockResolvedValueOnce(strapiError(409, 'This class has ended.', { reason: 'ended' }));
    expect(await joinClassroom(TOKEN, SESSION_ID)).toEqual({ ok: false, status: 409, message: 'This class has ended.', reason: 'ended' });
    fetchMock.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    jest.spyOn(console, 'error').mockImplementationOnce(() => undefined);
    expect(await joinClassroom(TOKEN, SESSION_ID)).toMatchObject({ ok: false, status: 0 });
  });

  it('names an ended class only when this process saw it joined', async () => {
    const unseen = 'zzzzzzzzzzzzzzzzzzzzzzzz';
    fetchMock.mockResolvedValueOnce(strapiError(409, 'This class has ended'));
    const outcome = await joinClassroom(TOKEN, unseen);
    expect(outcome).toEqual({ ok: false, status: 409, message: 'This class has ended' });
    expect(classroomView(outcome)).toMatchObject({ state: 'ended', session: null });
  });

  it('never asks the API about an id that isn’t one', async () => {
    expect(await joinClassroom(TOKEN, '../users/me')).toMatchObject({ ok: false, status: 404 });
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('the site’s join and leave endpoints', () => {
  let fetchMock: jest.SpiedFunction<typeof fetch>;
  beforeEach(() => {
    fetchMock = jest.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchMock.mockRestore());

  const context = (headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }, token: string | null = TOKEN, method = 'GET') => {
    const url = new URL(`http://site.test/api/live/${SESSION_ID}/join`);
    return { params: { session: SESSION_ID }, url, request: new Request(url, { method, headers }), locals: { token } } as unknown as Parameters<typeof joinEndpoint>[0];
  };

  it('answers the JoinResponse as Strapi sent it: nothing added, no token', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: { ...joinLive, streamKey: 'sk_live_SECRET' } }));
    const response = await joinEndpoint(context());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual(joinLive);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('SECRET');
  });

  it('keeps Strapi’s status and message for refusals', async () => {
    fetchMock.mockResolvedValueOnce(strapiError(409, 'This class has ended.', { reason: 'ended' }));
    const response = await joinEndpoint(context());
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: 'This class has ended.', reason: 'ended' });
  });

  it('refuses other sites and visitors without a session', async () => {
    expect((await joinEndpoint(context({ 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect((await joinEndpoint(context({ origin: 'https://evil.example' }))).status).toBe(403);
    expect((await joinEndpoint(context({}, null))).status).toBe(401);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('leaves with the student’s token', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: { leftAt: '2030-01-03T10:30:00.000Z', watchDuration: 1680 } }));
    const response = await leaveEndpoint(context({}, TOKEN, 'POST'));
    expect(await response.json()).toEqual({ leftAt: '2030-01-03T10:30:00.000Z', watchDuration: 1680 });
    const [url, init] = fetchMock.mock.calls[0];
    expect(new URL(String(url)).pathname).toBe(`/api/live/sessions/${SESSION_ID}/leave`);
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('checks the origin like the middleware does', () => {
    const req = (headers: Record<string, string>) => new Request('http://site.test/x', { headers });
    expect(sameOrigin(req({}), 'http://site.test')).toBe(true);
    expect(sameOrigin(req({ 'sec-fetch-site': 'same-origin', origin: 'http://site.test' }), 'http://site.test')).toBe(true);
    expect(sameOrigin(req({ 'sec-fetch-site': 'same-site' }), 'http://site.test')).toBe(false);
    expect(sameOrigin(req({ origin: 'http://other.test' }), 'http://site.test')).toBe(false);
  });
});

describe('what the classroom shows', () => {
  const ok = (data: Server.JoinResponse): JoinOutcome => ({ ok: true, data: joinResponseSchema.parse(data) });
  const refused = (status: number, message = '', reason?: string): JoinOutcome => ({ ok: false, status, message, ...(reason ? { reason } : {}) });

  it('maps each status and refusal to a state and an HTTP status', () => {
    const cases: [JoinOutcome, string, number][] = [
      [ok(joinLive), 'live', 200],
      [ok(joinScheduled), 'waiting', 200],
      [ok({ ...joinLive, playback: null }), 'waiting', 200],
      [ok({ ...joinLive, session: { ...joinLive.session, status: 'ENDED' }, playback: null }), 'ended', 200],
      [refused(409, 'This class has ended.'), 'ended', 200],
      [refused(403, 'Not enrolled'), 'error', 403],
      [refused(403, 'You were removed from this class by its mentor', 'banned'), 'error', 403],
      [refused(404, 'Not found'), 'error', 404],
      [refused(401, 'Expired'), 'error', 401],
      [refused(0, 'down'), 'error', 503],
      [refused(502, 'bad gateway'), 'error', 503],
    ];
    for (const [outcome, state, status] of cases) {
      const view = classroomView(outcome);
      expect([view.state, classroomStatus(view)]).toEqual([state, status]);
    }
  });

  it('tells a student the mentor removed from one who isn’t enrolled', () => {
    expect(classroomView(refused(403, 'You were removed from this class by its mentor', 'banned'))).toMatchObject({ state: 'error', problem: 'banned', httpStatus: 403 });
    expect(classroomView(refused(403, 'Enroll first'))).toMatchObject({ state: 'error', problem: 'not-enrolled' });
    expect(nextStep(refused(403, 'removed', 'banned'), 'player')).toEqual({ action: 'reload' });
  });

  it('tells a LIVE class waiting for its stream from a scheduled one', () => {
    expect(classroomView(ok({ ...joinLive, playback: null }))).toMatchObject({ state: 'waiting', startingNow: true });
    expect(classroomView(ok(joinScheduled))).toMatchObject({ state: 'waiting', startingNow: false });
  });

  it('tells cancelled from ended', () => {
    expect(classroomView(refused(409, 'This class was cancelled.'))).toMatchObject({ state: 'ended', cancelled: true });
    expect(classroomView(refused(409, 'Gone', 'cancelled'))).toMatchObject({ state: 'ended', cancelled: true });
    expect(classroomView(refused(409, 'This class has ended.'))).toMatchObject({ state: 'ended', cancelled: false, message: 'This class has ended.' });
    expect(classroomView(refused(409, 'This class has ended'))).toMatchObject({ message: 'This class has ended.' });
    expect(classroomView(refused(409, ''))).toMatchObject({ message: 'This live class has ended.' });
    // A class seen before it ended keeps its title and course, with the refusal's newer status.
    const seen = { ...refused(409, 'This class has ended'), session: joinLive.session } as JoinOutcome;
    expect(classroomView(seen)).toMatchObject({ state: 'ended', session: { title: joinLive.session.title, course: joinLive.session.course, status: 'ENDED' } });
    expect(classroomView(ok({ ...joinScheduled, session: { ...joinScheduled.session, status: 'CANCELLED' } }))).toMatchObject({ state: 'ended', cancelled: true });
  });

  it('decides what the islands do after a re-join', () => {
    const fresh = joinResponseSchema.parse(joinLive).playback!;
    expect(nextStep(ok(joinLive), 'player')).toEqual({ action: 'connect', playback: fresh });
    expect(nextStep(ok(joinLive), 'waiting')).toEqual({ action: 'reload' });
    expect(nextStep(ok(joinScheduled), 'waiting')).toEqual({ action: 'wait' });
    expect(nextStep(ok({ ...joinLive, playback: null }), 'player')).toEqual({ action: 'wait' });
    expect(nextStep(refused(409, 'This class has ended.'), 'player')).toEqual({ action: 'ended', cancelled: false, message: 'This class has ended.' });
    expect(nextStep(refused(409, 'This class has ended.'), 'waiting')).toEqual({ action: 'reload' });
    expect(nextStep(refused(0, 'offline'), 'player')).toEqual({ action: 'wait' });
    expect(nextStep(refused(503, 'down'), 'waiting')).toEqual({ action: 'wait' });
    expect(nextStep(refused(403, 'revoked'), 'player')).toEqual({ action: 'reload' });
    expect(nextStep(refused(401, 'signed out'), 'waiting')).toEqual({ action: 'reload' });
  });

  it('backs off 1, 2, 4, 8, then 15 s, with jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((attempt) => reconnectDelayMs(attempt, 0.5))).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect(reconnectDelayMs(0, 0)).toBe(800);
    expect(reconnectDelayMs(4, 0.999999)).toBeLessThanOrEqual(18_000);
  });

  it('polls the waiting room every 15 s, every minute when over an hour off, every 5 s when starting', () => {
    expect(waitingPollDelayMs(2 * 60 * 60_000)).toBe(60_000);
    expect(waitingPollDelayMs(59 * 60_000)).toBe(15_000);
    expect(waitingPollDelayMs(-5_000)).toBe(15_000);
    expect(waitingPollDelayMs(10 * 60_000, true)).toBe(5_000);
  });

  it('refreshes a playback URL that is about to expire before connecting', () => {
    const now = Date.parse('2030-01-03T10:10:00.000Z');
    expect(playbackFresh({ expiresAt: '2030-01-03T10:11:00.000Z' }, now)).toBe(true);
    expect(playbackFresh({ expiresAt: '2030-01-03T10:10:03.000Z' }, now)).toBe(false);
    expect(playbackFresh({ expiresAt: 'soon' }, now)).toBe(false);
  });

  it('counts down in words', () => {
    expect(countdownText(2 * 86_400_000 + 3 * 3_600_000)).toBe('in 2 days 3 h');
    expect(countdownText(3_900_000)).toBe('in 1 h 5 min');
    expect(countdownText(252_000)).toBe('in 4 min 12 s');
    expect(countdownText(12_000)).toBe('in 12 s');
    expect(countdownText(0)).toBeNull();
    expect(countdownText(-1)).toBeNull();
  });

  it('measures the player’s distance from the newest buffered media', () => {
    const ranges = (...ends: number[]) => ({ length: ends.length, end: (i: number) => ends[i] });
    expect(bufferLatency(ranges(), 3)).toBeNull();
    expect(bufferLatency(ranges(4, 10.5), 9.25)).toBeCloseTo(1.25);
    expect(bufferLatency(ranges(10), 11)).toBe(0);
  });

  it('formats a start time in a zone, with the zone', () => {
    expect(formatClassTime('2030-01-02T10:00:00.000Z', 'Asia/Kolkata')).toMatch(/2 Jan.*2030.*3:30.*pm.*IST/i);
    expect(formatClassTime('nope', 'Asia/Kolkata')).toBe('');
  });

  it('has a message for every player state', () => {
    for (const message of Object.values(PLAYER_MESSAGES)) expect(message.length).toBeGreaterThan(5);
  });
});
