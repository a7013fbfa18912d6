import { startStrapi, signInNewStudent, type TestApp } from './helpers/strapi';
import { connectClient, listen } from './helpers/realtime';
import { eventually, waitFor } from './helpers/wait';
import { liveActors, scheduleSession, streamKeyOf, sessionRow, countRows, SESSION_UID, ATTENDEE_UID, type LiveActors } from './helpers/live';

let app: TestApp;
let who: LiveActors;

beforeAll(async () => {
  app = await startStrapi();
  who = await liveActors(app);
});
afterAll(async () => {
  await app?.stop();
});

type Actor = 'anonymous' | 'stranger' | 'enrolled' | 'otherMentor' | 'owner' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'stranger', 'enrolled', 'otherMentor', 'owner', 'admin'];
const authOf = (actor: Actor): Record<string, string> => (actor === 'anonymous' ? {} : who[actor].auth);

const call = (method: 'get' | 'post' | 'put' | 'delete', path: string, actor: Actor, body?: unknown) => {
  const req = app.http[method](path).set(authOf(actor));
  return body === undefined ? req : req.send(body as object);
};

describe('scheduling', () => {
  it('lets a mentor schedule a class of a course they teach, with OBS settings but no key in the answer', async () => {
    const before = await countRows(app, SESSION_UID);
    const res = await call('post', '/api/live/sessions', 'owner', {
      courseId: who.course,
      title: 'Closures, live',
      description: 'We build a counter with closures',
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      title: 'Closures, live',
      status: 'SCHEDULED',
      provider: 'local',
      recording: true,
      course: { documentId: who.course, slug: 'javascript-foundations' },
      instructor: { id: who.owner.id, name: 'Ananya Rao' },
      peakViewers: 0,
      totalViewers: 0,
    });
    expect(res.body.data.ingestServer).toMatch(/^rtmp:\/\/[^/]+:\d+\/live$/);
    expect(await countRows(app, SESSION_UID)).toBe(before + 1);

    const key = await streamKeyOf(app, who.owner.auth, res.body.data.id);
    expect(key.server).toBe(res.body.data.ingestServer);
    expect(key.streamKey.length).toBeGreaterThan(20);
    expect(JSON.stringify(res.body)).not.toContain(key.streamKey);
    // At rest the key is encrypted.
    const row = await sessionRow(app, res.body.data.id);
    expect(JSON.stringify(row)).not.toContain(key.streamKey.split('key=').pop());
  });

  it("refuses a mentor a course they don't teach, and lets a super-admin schedule for a mentor", async () => {
    const refused = await call('post', '/api/live/sessions', 'otherMentor', {
      courseId: who.course,
      title: 'Not my course',
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/courses you teach/);

    const forMentor = await call('post', '/api/live/sessions', 'admin', {
      courseId: who.otherCourse,
      title: 'Python Q&A',
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      instructorId: who.otherMentor.id,
    });
    expect(forMentor.status).toBe(201);
    expect(forMentor.body.data.instructor.id).toBe(who.otherMentor.id);

    const mine = await call('get', '/api/live/sessions', 'otherMentor');
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((s: any) => s.id)).toContain(forMentor.body.data.id);
    expect(mine.body.data.every((s: any) => s.instructor.id === who.otherMentor.id)).toBe(true);
  });

  it('answers bad input with 400 and a message, and writes nothing', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    const sessions = await countRows(app, SESSION_UID);
    const bad: [string, 'get' | 'post' | 'put' | 'delete', string, unknown, RegExp][] = [
      ['missing fields', 'post', '/api/live/sessions', {}, /courseId/],
      ['bad date', 'post', '/api/live/sessions', { courseId: who.course, title: 'x title', scheduledAt: 'tomorrow' }, /scheduledAt/],
      ['past date', 'post', '/api/live/sessions', { courseId: who.course, title: 'Past class', scheduledAt: '2020-01-01T10:00:00Z' }, /past/],
      ['unknown field', 'post', '/api/live/sessions', { courseId: who.course, title: 'Title ok', scheduledAt: new Date().toISOString(), streamKey: 'x' }, /streamKey|Unrecognized/i],
      ['unknown course', 'post', '/api/live/sessions', { courseId: 'zzzzzzzzzzzzzzzzzzzzzzzz', title: 'Title ok', scheduledAt: new Date(Date.now() + 60_000).toISOString() }, /course/],
      ['short title', 'put', `/api/live/sessions/${session.id}`, { title: 'x' }, /title/],
      ['empty update', 'put', `/api/live/sessions/${session.id}`, {}, /nothing to update/],
      ['bad id', 'get', '/api/live/sessions/..%2F..%2Fetc', undefined, /document id/],
      ['bad status filter', 'get', '/api/live/sessions?status=PAUSED', undefined, /status/],
      ['body on start', 'post', `/api/live/sessions/${session.id}/start`, { force: true }, /force|Unrecognized/i],
      ['query on status', 'get', `/api/live/sessions/${session.id}/status?verbose=1`, undefined, /verbose|Unrecognized/i],
    ];
    for (const [label, method, path, body, message] of bad) {
      const res = await call(method, path, 'owner', body);
      expect({ label, status: res.status }).toEqual({ label, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    expect(await countRows(app, SESSION_UID)).toBe(sessions);
    expect((await sessionRow(app, session.id)).title).toBe('Closures, live');
    expect((await sessionRow(app, session.id)).status).toBe('SCHEDULED');

    const badJoin = await call('get', '/api/live/sessions/not-an-id!/join', 'enrolled');
    expect(badJoin.status).toBe(400);
    const badUpcoming = await call('get', '/api/live/upcoming', 'anonymous');
    expect(badUpcoming.status).toBe(400);
    expect(badUpcoming.body.error.message).toMatch(/course/);
  });
});

describe('bad input on every endpoint', () => {
  it('answers 400 with a message for a malformed id, an unknown query parameter or body field, and changes nothing', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Input class' });
    await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {});
    const before = { sessions: await countRows(app, SESSION_UID), attendees: await countRows(app, ATTENDEE_UID), row: await sessionRow(app, session.id) };
    const S = `/api/live/sessions/${session.id}`;
    const cases: readonly (readonly [('get' | 'post' | 'put' | 'delete'), string, Actor, unknown])[] = [
      // malformed ids
      ...(['get', 'put', 'delete'] as const).map((m) => [m, '/api/live/sessions/NOT_AN_ID', 'owner', m === 'put' ? { title: 'Valid title' } : undefined] as const),
      ...['start', 'end', 'leave'].map((a) => ['post', `/api/live/sessions/x/${a}`, a === 'leave' ? 'enrolled' : 'owner', {}] as const),
      ...['status', 'join', 'viewers', 'analytics'].map((a) => ['get', `/api/live/sessions/${'9'.repeat(60)}/${a}`, a === 'join' ? 'enrolled' : 'owner', undefined] as const),
      ['get', '/live/sessions/bad!id/stream-key', 'owner', undefined],
      ['post', '/live/sessions/bad!id/stream-key', 'owner', {}],
      // unknown query parameters
      ['get', `${S}?populate=*`, 'owner', undefined],
      ['get', `${S}/join?debug=1`, 'enrolled', undefined],
      ['get', `${S}/viewers?limit=5`, 'owner', undefined],
      ['get', `${S}/analytics?from=yesterday`, 'owner', undefined],
      ['get', '/api/live/analytics/dashboard?all=true', 'owner', undefined],
      ['get', `/api/live/upcoming?course=${who.course}&limit=0`, 'anonymous', undefined],
      ['get', '/api/live/sessions?page=0', 'owner', undefined],
      ['get', '/api/live/sessions?pageSize=1000', 'owner', undefined],
      ['get', `/live/sessions/${session.id}/stream-key?reveal=1`, 'owner', undefined],
      ['get', '/live/session-options?x=1', 'owner', undefined],
      // unknown or wrong body fields
      ['put', S, 'owner', { status: 'ENDED' }],
      ['put', S, 'owner', { title: 42 }],
      ['put', S, 'owner', { scheduledAt: 'soon' }],
      ['post', `${S}/end`, 'owner', { reason: 'done' }],
      ['post', `${S}/leave`, 'enrolled', { watchDuration: 9999 }],
      ['post', `/live/sessions/${session.id}/stream-key`, 'owner', { streamKey: 'mine' }],
      ['post', '/api/live/sessions', 'owner', { courseId: who.course, title: 'Too late', scheduledAt: new Date(Date.now() + 60_000).toISOString(), recording: 'yes' }],
    ];
    for (const [method, path, actor, body] of cases) {
      const res = await call(method, path, actor, body);
      expect(`${method.toUpperCase()} ${path} → ${res.status}`).toBe(`${method.toUpperCase()} ${path} → 400`);
      expect(typeof res.body.error?.message).toBe('string');
      expect(res.body.error.message.length).toBeGreaterThan(3);
    }
    expect(await countRows(app, SESSION_UID)).toBe(before.sessions);
    expect(await countRows(app, ATTENDEE_UID)).toBe(before.attendees);
    const after = await sessionRow(app, session.id);
    expect({ title: after.title, status: after.status, scheduledAt: after.scheduledAt, streamKeyCipher: after.streamKeyCipher }).toEqual({
      title: before.row.title,
      status: before.row.status,
      scheduledAt: before.row.scheduledAt,
      streamKeyCipher: before.row.streamKeyCipher,
    });
  });
});

describe('the status state machine', () => {
  it('goes SCHEDULED → LIVE → ENDED, repeats end harmlessly, and refuses going back', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    const start = await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {});
    expect(start.status).toBe(200);
    expect(start.body.data.status).toBe('LIVE');
    expect(start.body.data.startedAt).toBeTruthy();
    expect((await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {})).body.data.status).toBe('LIVE');

    const cancelLive = await call('delete', `/api/live/sessions/${session.id}`, 'owner');
    expect(cancelLive.status).toBe(409);
    expect(cancelLive.body.error.message).toMatch(/end it before cancelling/);
    const reschedule = await call('put', `/api/live/sessions/${session.id}`, 'owner', { scheduledAt: new Date(Date.now() + 60_000).toISOString() });
    expect(reschedule.status).toBe(409);

    const end = await call('post', `/api/live/sessions/${session.id}/end`, 'owner', {});
    expect(end.status).toBe(200);
    expect(end.body.data).toMatchObject({ status: 'ENDED' });
    const endedAt = end.body.data.endedAt;
    const again = await call('post', `/api/live/sessions/${session.id}/end`, 'owner', {});
    expect(again.status).toBe(200);
    expect(again.body.data.endedAt).toBe(endedAt);

    for (const [method, path] of [
      ['post', `/api/live/sessions/${session.id}/start`],
      ['delete', `/api/live/sessions/${session.id}`],
      ['put', `/api/live/sessions/${session.id}`],
    ] as const) {
      const res = await call(method, path, 'owner', method === 'put' ? { title: 'Renamed class' } : method === 'post' ? {} : undefined);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/has ended/);
    }
    const key = await app.http.get(`/live/sessions/${session.id}/stream-key`).set(who.owner.auth);
    expect(key.status).toBe(409);
    const join = await call('get', `/api/live/sessions/${session.id}/join`, 'enrolled');
    expect(join.status).toBe(409);
    expect(join.body.error.message).toMatch(/ended/);
  });

  it('cancels a scheduled session (idempotently), frees its key, and refuses to start or end it', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    const cancel = await call('delete', `/api/live/sessions/${session.id}`, 'owner');
    expect(cancel.status).toBe(200);
    expect(cancel.body.data.status).toBe('CANCELLED');
    expect((await call('delete', `/api/live/sessions/${session.id}`, 'owner')).status).toBe(200);
    expect((await sessionRow(app, session.id)).streamKeyCipher).toBeNull();
    expect((await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {})).status).toBe(409);
    const end = await call('post', `/api/live/sessions/${session.id}/end`, 'owner', {});
    expect(end.status).toBe(409);
    expect(end.body.error.message).toMatch(/cancelled/);
    expect((await app.http.get(`/live/sessions/${session.id}/stream-key`).set(who.owner.auth)).status).toBe(409);
    expect((await call('get', `/api/live/sessions/${session.id}/join`, 'enrolled')).status).toBe(409);
  });

  it('announces every schedule and status change, so the site drops its cached course pages', async () => {
    const heard: string[] = [];
    const listener = async (payload: { action: string }) => {
      heard.push(payload.action);
    };
    app.strapi.eventHub.on('live-session.changed', listener);
    try {
      const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Announced class' });
      await call('put', `/api/live/sessions/${session.id}`, 'owner', { title: 'Announced class, renamed' });
      await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {});
      await call('post', `/api/live/sessions/${session.id}/end`, 'owner', {});
      const cancelled = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Announced, then cancelled' });
      await call('delete', `/api/live/sessions/${cancelled.id}`, 'owner');
      expect(heard).toEqual(['create', 'update', 'LIVE', 'ENDED', 'create', 'CANCELLED']);
    } finally {
      app.strapi.eventHub.removeListener('live-session.changed', listener);
    }
  });

  it("won't end a class that never started", async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    const end = await call('post', `/api/live/sessions/${session.id}/end`, 'owner', {});
    expect(end.status).toBe(409);
    expect(end.body.error.message).toMatch(/cancel it instead/);
  });

  it('applies concurrent start and end requests once', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    const starts = await Promise.all(Array.from({ length: 5 }, () => call('post', `/api/live/sessions/${session.id}/start`, 'owner', {})));
    expect(starts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(starts.map((r) => r.body.data.startedAt)).size).toBe(1);
    const ends = await Promise.all(Array.from({ length: 5 }, () => call('post', `/api/live/sessions/${session.id}/end`, 'owner', {})));
    expect(ends.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(ends.map((r) => r.body.data.endedAt)).size).toBe(1);
  });
});

describe('joining a class', () => {
  it('gives an enrolled student a waiting room, then a playback URL for them alone; re-joins never duplicate', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    const waiting = await call('get', `/api/live/sessions/${session.id}/join`, 'enrolled');
    expect(waiting.status).toBe(200);
    expect(waiting.body.data).toMatchObject({ playback: null, attendee: null, session: { id: session.id, status: 'SCHEDULED' } });

    await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {});
    const join = await call('get', `/api/live/sessions/${session.id}/join`, 'enrolled');
    expect(join.status).toBe(200);
    expect(join.headers['cache-control']).toBe('no-store');
    const { playback } = join.body.data;
    expect(playback.kind).toBe('flv');
    expect(playback.url).toMatch(/\/api\/live\/play\/[\w-]+\.flv\?token=/);
    expect(playback.wsUrl).toMatch(/^ws/);
    const ttl = new Date(playback.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    expect(join.body.data.attendee.joinedAt).toBeTruthy();

    const rejoins = await Promise.all(Array.from({ length: 4 }, () => call('get', `/api/live/sessions/${session.id}/join`, 'enrolled')));
    expect(rejoins.every((r) => r.status === 200)).toBe(true);
    // A URL per viewer: another viewer's token differs.
    const ownerView = await call('get', `/api/live/sessions/${session.id}/join`, 'owner');
    expect(ownerView.status).toBe(200);
    expect(ownerView.body.data.attendee).toBeNull();
    expect(new URL(ownerView.body.data.playback.url).searchParams.get('token')).not.toBe(new URL(playback.url).searchParams.get('token'));

    // Watching now counts live classroom connections: the join alone is attendance, not presence.
    expect((await call('get', `/api/live/sessions/${session.id}/viewers`, 'owner')).body.data).toMatchObject({ current: 0, total: 1 });
    const classroom = connectClient(await listen(app), { token: join.body.data.realtime.token });
    await classroom.waitForEvent('ready');
    const viewers = await call('get', `/api/live/sessions/${session.id}/viewers`, 'owner');
    expect(viewers.status).toBe(200);
    expect(viewers.body.data).toMatchObject({ current: 1, peak: 1, total: 1 });
    expect(viewers.body.data.viewers[0]).toMatchObject({ userId: who.enrolled.id, connections: 1 });
    const row = await sessionRow(app, session.id);
    const attendees = await app.strapi.db.query(ATTENDEE_UID).findMany({ where: { sessionId: row.id } });
    expect(attendees).toHaveLength(1);
    await eventually(async () => expect(await sessionRow(app, session.id)).toMatchObject({ totalViewers: 1, peakViewers: 1, currentViewers: 1 }));
    classroom.close();
    await waitFor(() => !classroom.socket.connected, 2_000, 'the classroom closed');

    // Watched for a minute and a half: the row says so (rather than the test sleeping through it).
    await app.strapi.db.query(ATTENDEE_UID).update({ where: { id: attendees[0].id }, data: { activeSince: new Date(Date.now() - 90_000) } });
    const leave = await call('post', `/api/live/sessions/${session.id}/leave`, 'enrolled', {});
    expect(leave.status).toBe(200);
    expect(leave.body.data.watchDuration).toBeGreaterThanOrEqual(90);
    expect(leave.body.data.watchDuration).toBeLessThan(120);
    expect(leave.body.data.leftAt).toBeTruthy();
    expect((await call('get', `/api/live/sessions/${session.id}/viewers`, 'owner')).body.data.current).toBe(0);

    // Back again: the same row, reopened; its watch time keeps adding up.
    const back = await call('get', `/api/live/sessions/${session.id}/join`, 'enrolled');
    expect(back.body.data.attendee.watchDuration).toBe(leave.body.data.watchDuration);
    expect(await app.strapi.db.query(ATTENDEE_UID).count({ where: { sessionId: row.id } })).toBe(1);

    const end = await call('post', `/api/live/sessions/${session.id}/end`, 'owner', {});
    expect(end.body.data).toMatchObject({ totalViewers: 1, peakViewers: 1, currentViewers: 0 });
    const closed = await app.strapi.db.query(ATTENDEE_UID).findOne({ where: { sessionId: row.id } });
    expect(closed.activeSince).toBeNull();
    expect(closed.leftAt).toBeTruthy();

    const analytics = await call('get', `/api/live/sessions/${session.id}/analytics`, 'owner');
    expect(analytics.status).toBe(200);
    expect(analytics.body.data.totals).toMatchObject({ totalViewers: 1, peakViewers: 1 });
    expect(analytics.body.data.totals.totalWatchSeconds).toBeGreaterThanOrEqual(1);
    expect(analytics.body.data.timeline.length).toBeGreaterThan(1);
    expect(Math.max(...analytics.body.data.timeline.map((p: any) => p.viewers))).toBe(1);

    const dashboard = await call('get', '/api/live/analytics/dashboard', 'owner');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.data.sessions.ENDED).toBeGreaterThanOrEqual(1);
    expect(dashboard.body.data.recent.some((s: any) => s.id === session.id)).toBe(true);
  });

  it('counts a join storm exactly: every student once, however many tabs, from live connections', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Storm class' });
    await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {});
    const baseUrl = await listen(app);
    const students = await Promise.all(Array.from({ length: 12 }, (_, i) => signInNewStudent(app, `storm-${i}`)));
    for (const student of students) await app.http.post(`/api/courses/${who.course}/enroll`).set(student.auth);
    // Each student joins from three tabs at once, and each tab opens its classroom connection.
    const joins = await Promise.all(students.flatMap((student) => [1, 2, 3].map(() => app.http.get(`/api/live/sessions/${session.id}/join`).set(student.auth))));
    expect(joins.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
    const tabs = joins.map((join) => connectClient(baseUrl, { token: join.body.data.realtime.token }));
    try {
      await Promise.all(tabs.map((tab) => tab.waitForEvent('ready')));
      const row = await sessionRow(app, session.id);
      expect(await app.strapi.db.query(ATTENDEE_UID).count({ where: { sessionId: row.id } })).toBe(12);
      const status = await call('get', `/api/live/sessions/${session.id}/status`, 'owner');
      expect(status.body.data.viewers).toBe(12);
      await eventually(async () => expect(await sessionRow(app, session.id)).toMatchObject({ currentViewers: 12, totalViewers: 12, peakViewers: 12 }));

      // Closing one of a student's three tabs leaves them watching.
      tabs[0].close();
      await waitFor(() => !tabs[0].socket.connected, 2_000, 'a tab closed');
      expect((await call('get', `/api/live/sessions/${session.id}/viewers`, 'owner')).body.data.current).toBe(12);
      // Its leave beacon doesn't end the attendance while another tab is open.
      expect((await app.http.post(`/api/live/sessions/${session.id}/leave`).set(students[0].auth).send({})).status).toBe(200);
      expect(await app.strapi.db.query(ATTENDEE_UID).findOne({ where: { sessionId: row.id, userId: students[0].id } })).toMatchObject({ activeSince: expect.anything() });

      // Five students close every tab and say they left.
      for (const tab of tabs.slice(0, 15)) tab.close();
      await waitFor(() => tabs.slice(0, 15).every((tab) => !tab.socket.connected), 2_000, 'five students gone');
      await Promise.all(students.slice(0, 5).map((student) => app.http.post(`/api/live/sessions/${session.id}/leave`).set(student.auth).send({})));
      const viewers = await call('get', `/api/live/sessions/${session.id}/viewers`, 'owner');
      expect(viewers.body.data).toMatchObject({ current: 7, total: 12, peak: 12 });
      expect(viewers.body.data.viewers).toHaveLength(7);
      // Two come back: still 12 distinct viewers, and the peak stays the highest moment.
      const back = await Promise.all(students.slice(0, 2).map((student) => app.http.get(`/api/live/sessions/${session.id}/join`).set(student.auth)));
      const returning = back.map((join) => connectClient(baseUrl, { token: join.body.data.realtime.token }));
      tabs.push(...returning);
      await Promise.all(returning.map((tab) => tab.waitForEvent('ready')));
      expect((await call('get', `/api/live/sessions/${session.id}/viewers`, 'owner')).body.data).toMatchObject({ current: 9, total: 12, peak: 12 });
      await call('post', `/api/live/sessions/${session.id}/end`, 'owner', {});
      expect(await sessionRow(app, session.id)).toMatchObject({ currentViewers: 0, totalViewers: 12, peakViewers: 12 });
    } finally {
      for (const tab of tabs) tab.close();
    }
  });

  it('refuses a student who is not enrolled, and a refunded one', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    await call('post', `/api/live/sessions/${session.id}/start`, 'owner', {});
    const stranger = await call('get', `/api/live/sessions/${session.id}/join`, 'stranger');
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toMatch(/Enroll/);
    expect(stranger.body.data).toBeNull();

    await app.strapi.db.query('api::enrollment.enrollment').updateMany({ where: { userCourseKey: `${who.enrolled.id}:${who.course}` }, data: { state: 'refunded' } });
    try {
      expect((await call('get', `/api/live/sessions/${session.id}/join`, 'enrolled')).status).toBe(403);
    } finally {
      await app.strapi.db.query('api::enrollment.enrollment').updateMany({ where: { userCourseKey: `${who.enrolled.id}:${who.course}` }, data: { state: 'active' } });
    }
  });

  it('lists upcoming classes publicly with title, time and status only', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Public listing class' });
    const res = await call('get', `/api/live/upcoming?course=${who.course},${who.otherCourse}`, 'anonymous');
    expect(res.status).toBe(200);
    const entry = res.body.data.find((s: any) => s.id === session.id);
    expect(Object.keys(entry).sort()).toEqual(['course', 'id', 'scheduledAt', 'status', 'title']);
    expect(entry.course).toEqual({ documentId: who.course, title: expect.any(String), slug: 'javascript-foundations' });
    expect(res.body.data.every((s: any) => ['SCHEDULED', 'LIVE'].includes(s.status))).toBe(true);
    const statuses = res.body.data.map((s: any) => s.status);
    expect(statuses.indexOf('SCHEDULED') === -1 || statuses.lastIndexOf('LIVE') < statuses.indexOf('SCHEDULED')).toBe(true);
  });
});

describe('who may do what (RBAC matrix)', () => {
  it('answers every endpoint for each kind of caller as expected, and shows the stream key only on its own route', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Matrix class' });
    const { streamKey } = await streamKeyOf(app, who.owner.auth, session.id);
    const bodies: unknown[] = [];
    const S = `/api/live/sessions/${session.id}`;
    // [method, path, body, expected per actor in ACTORS order]
    const matrix: [('get' | 'post' | 'put' | 'delete'), string, unknown, number[]][] = [
      ['get', '/api/live/sessions', undefined, [403, 403, 403, 200, 200, 200]],
      ['get', S, undefined, [403, 403, 403, 403, 200, 200]],
      ['put', S, { description: 'Bring questions' }, [403, 403, 403, 403, 200, 200]],
      ['get', `${S}/status`, undefined, [403, 403, 403, 403, 200, 200]],
      ['get', `${S}/viewers`, undefined, [403, 403, 403, 403, 200, 200]],
      ['get', `${S}/analytics`, undefined, [403, 403, 403, 403, 200, 200]],
      ['get', '/api/live/analytics/dashboard', undefined, [403, 403, 403, 200, 200, 200]],
      ['get', `${S}/join`, undefined, [403, 403, 200, 403, 200, 200]],
      ['post', `${S}/leave`, {}, [403, 404, 404, 403, 200, 200]],
      ['get', `/live/sessions/${session.id}/stream-key`, undefined, [401, 401, 401, 403, 200, 200]],
      ['get', '/live/session-options', undefined, [401, 401, 401, 200, 200, 200]],
      ['post', '/api/live/sessions', { courseId: who.course, title: 'Matrix create', scheduledAt: new Date(Date.now() + 7200_000).toISOString() }, [403, 403, 403, 403, 201, 201]],
      ['get', `/api/live/upcoming?course=${who.course}`, undefined, [200, 200, 200, 200, 200, 200]],
      ['get', '/api/live/health', undefined, [200, 200, 200, 200, 200, 200]],
    ];
    const seen: string[] = [];
    for (const [method, path, body, expected] of matrix) {
      for (const [i, actor] of ACTORS.entries()) {
        const res = await call(method, path, actor, body);
        seen.push(`${method.toUpperCase()} ${path} as ${actor} → ${res.status}`);
        expect(`${method.toUpperCase()} ${path} as ${actor} → ${res.status}`).toBe(`${method.toUpperCase()} ${path} as ${actor} → ${expected[i]}`);
        if (!path.endsWith('/stream-key')) bodies.push(res.body);
        else if (res.status === 200) expect(res.body.data.streamKey).toBe(streamKey);
        else expect(JSON.stringify(res.body)).not.toContain(streamKey);
      }
    }
    // Mutations, each on its own session so one actor's success doesn't change the next one's answer.
    for (const [action, method, expected] of [
      ['start', 'post', [403, 403, 403, 403, 200, 200]],
      ['end', 'post', [403, 403, 403, 403, 409, 409]],
      ['delete', 'delete', [403, 403, 403, 403, 200, 200]],
    ] as const) {
      for (const [i, actor] of ACTORS.entries()) {
        const target = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: `Matrix ${action}` });
        const path = action === 'delete' ? `/api/live/sessions/${target.id}` : `/api/live/sessions/${target.id}/${action}`;
        const res = await call(method, path, actor, method === 'post' ? {} : undefined);
        expect(`${action} as ${actor} → ${res.status}`).toBe(`${action} as ${actor} → ${expected[i]}`);
        bodies.push(res.body);
      }
    }
    for (const body of bodies) expect(JSON.stringify(body)).not.toContain(streamKey);
    expect(seen.length).toBe(matrix.length * ACTORS.length);
  });

  it('regenerates the key for the owner only; the old one is gone', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course });
    const before = await streamKeyOf(app, who.owner.auth, session.id);
    expect((await app.http.post(`/live/sessions/${session.id}/stream-key`).set(who.otherMentor.auth).send({})).status).toBe(403);
    const regenerated = await app.http.post(`/live/sessions/${session.id}/stream-key`).set(who.owner.auth).send({});
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.data.streamKey).not.toBe(before.streamKey);
    expect((await streamKeyOf(app, who.admin.auth, session.id)).streamKey).toBe(regenerated.body.data.streamKey);
  });
});
