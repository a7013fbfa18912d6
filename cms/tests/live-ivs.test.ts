import crypto from 'node:crypto';
import { startStrapi, type TestApp } from './helpers/strapi';
import { startIvsDouble, type IvsDouble } from './helpers/ivs-double';
import { liveActors, scheduleSession, streamKeyOf, sessionRow, type LiveActors } from './helpers/live';
import { connectClient, grantOf, listen } from './helpers/realtime';
import { waitFor } from './helpers/wait';

/** The IVS provider end to end: Strapi with LIVE_PROVIDER=ivs and the real SDK against a local IVS API. */
let app: TestApp;
let ivs: IvsDouble;
let who: LiveActors;
const EVENTS_SECRET = crypto.randomBytes(24).toString('base64url');
const KEY_PAIR_ARN = 'arn:aws:ivs:us-west-2:123456789012:playback-key/abcdEFGH1234';
const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const IVS_VARIABLES = ['LIVE_PROVIDER', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'IVS_ENDPOINT', 'IVS_EVENTS_SECRET', 'IVS_PLAYBACK_KEY_PAIR_ARN', 'IVS_PLAYBACK_PRIVATE_KEY'];

beforeAll(async () => {
  ivs = await startIvsDouble();
  app = await startStrapi({
    LIVE_PROVIDER: 'ivs',
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    IVS_ENDPOINT: ivs.url,
    IVS_EVENTS_SECRET: EVENTS_SECRET,
    IVS_PLAYBACK_KEY_PAIR_ARN: KEY_PAIR_ARN,
    // As it sits in .env: one line, newlines escaped.
    IVS_PLAYBACK_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
  });
  who = await liveActors(app);
});
afterAll(async () => {
  await app?.stop();
  await ivs?.close();
  for (const name of IVS_VARIABLES) delete process.env[name];
});

const event = (channelArn: string, eventName: string, at: Date, id: string = crypto.randomUUID()) => ({
  version: '0',
  id,
  'detail-type': 'IVS Stream State Change',
  source: 'aws.ivs',
  account: '123456789012',
  time: at.toISOString(),
  region: 'us-west-2',
  resources: [channelArn],
  detail: { event_name: eventName, channel_name: '', stream_id: 'st-1Z2y3X4w5V6u' },
});
const deliver = (body: unknown, secret = EVENTS_SECRET) =>
  app.http.post('/api/live/events/ivs').set('x-ivs-events-secret', secret).send(body as object);

async function ivsSession(title = 'IVS class') {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title });
  const row = await sessionRow(app, session.id);
  return { ...session, arn: row.channelId as string };
}

describe('Amazon IVS provider', () => {
  it('creates a private, low-latency channel per session and keeps the stream key out of every listing', async () => {
    const session = await ivsSession();
    const [create] = ivs.calls('CreateChannel').slice(-1);
    expect(create).toMatchObject({ latencyMode: 'LOW', type: 'STANDARD', authorized: true, insecureIngest: false, recordingConfigurationArn: '' });
    expect(create.name).toContain(session.id);
    expect(session.ingestServer).toBe('rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/');

    const { streamKey } = await streamKeyOf(app, who.owner.auth, session.id);
    expect(streamKey).toMatch(/^sk_us-west-2_/);
    const list = await app.http.get('/api/live/sessions').set(who.owner.auth);
    const one = await app.http.get(`/api/live/sessions/${session.id}`).set(who.owner.auth);
    for (const body of [list.body, one.body]) expect(JSON.stringify(body)).not.toContain(streamKey);
    expect(JSON.stringify(one.body)).not.toContain(session.arn);

    // Regenerate: the old key is deleted at IVS, a new one created.
    const fresh = await app.http.post(`/live/sessions/${session.id}/stream-key`).set(who.owner.auth).send({});
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.streamKey).not.toBe(streamKey);
    expect([...ivs.keys.values()].map((k) => k.value)).toEqual(expect.arrayContaining([fresh.body.data.streamKey]));
    expect([...ivs.keys.values()].map((k) => k.value)).not.toContain(streamKey);
  });

  it("signs each viewer's playback token (ES384) for the private channel", async () => {
    const session = await ivsSession();
    await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({});
    const join = await app.http.get(`/api/live/sessions/${session.id}/join`).set(who.enrolled.auth).set('Origin', 'http://localhost:4321');
    expect(join.status).toBe(200);
    const { playback } = join.body.data;
    expect(playback.kind).toBe('ivs');
    const url = new URL(playback.url);
    expect(`${url.origin}${url.pathname}`).toBe(ivs.channels.get(session.arn).playbackUrl);
    const token = url.searchParams.get('token')!;
    const [header, payload, signature] = token.split('.');
    expect(crypto.verify('sha384', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'ES384' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({
      'aws:channel-arn': session.arn,
      'aws:viewer-id': `student-${who.enrolled.id}`,
      'aws:access-control-allow-origin': 'http://localhost:4321',
    });
    const ahead = claims.exp - Date.now() / 1000;
    expect(ahead).toBeGreaterThan(60);
    expect(ahead).toBeLessThanOrEqual(600);

    // A foreign origin gets the site's, not its own.
    const foreign = await app.http.get(`/api/live/sessions/${session.id}/join`).set(who.enrolled.auth).set('Origin', 'https://evil.example');
    const foreignClaims = JSON.parse(Buffer.from(new URL(foreign.body.data.playback.url).searchParams.get('token')!.split('.')[1], 'base64url').toString());
    expect(foreignClaims['aws:access-control-allow-origin']).toBe('http://localhost:4321');
  });

  it('reports stream health from GetStream and GetStreamSession', async () => {
    const session = await ivsSession();
    const offline = await app.http.get(`/api/live/sessions/${session.id}/status`).set(who.owner.auth);
    expect(offline.status).toBe(200);
    expect(offline.body.data.stream).toMatchObject({ live: false });
    ivs.goLive(session.arn);
    const live = await app.http.get(`/api/live/sessions/${session.id}/status`).set(who.owner.auth);
    expect(live.body.data.stream).toMatchObject({ live: true, health: 'HEALTHY', viewerCount: 3, bitrateKbps: 3500, fps: 30 });
    ivs.goOffline(session.arn);
  });

  it('applies EventBridge stream events once, in any order, and only with the right secret', async () => {
    const session = await ivsSession();
    const t0 = Date.now();
    const start = event(session.arn, 'Stream Start', new Date(t0 + 1000));

    expect((await deliver(start, 'wrong-secret')).status).toBe(401);
    expect((await app.http.post('/api/live/events/ivs').send(start)).status).toBe(401);
    const malformed = await deliver({ ...start, resources: [] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBeTruthy();
    expect((await sessionRow(app, session.id)).status).toBe('SCHEDULED');

    // The end of a stream arrives before its start: the class doesn't go live afterwards.
    const earlyEnd = await deliver(event(session.arn, 'Stream End', new Date(t0 + 2000)));
    expect(earlyEnd.body.data.outcome).toBe('not-started');
    const lateStart = await deliver(start);
    expect(lateStart.body.data.outcome).toBe('stale');
    expect((await sessionRow(app, session.id)).status).toBe('SCHEDULED');

    const realStart = event(session.arn, 'Stream Start', new Date(t0 + 3000));
    expect((await deliver(realStart)).body.data.outcome).toBe('live');
    expect((await deliver(realStart)).body.data.outcome).toBe('duplicate');
    expect((await sessionRow(app, session.id)).status).toBe('LIVE');
    const failure = await deliver(event(session.arn, 'Stream Failure', new Date(t0 + 3500)));
    expect(failure.status).toBe(200);
    expect((await sessionRow(app, session.id)).status).toBe('LIVE');

    const ends = await Promise.all([1, 2, 3].map(() => deliver(event(session.arn, 'Stream End', new Date(t0 + 4000), 'same-end-event'))));
    expect(ends.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(ends.map((r) => r.body.data.outcome).sort()).toEqual(['duplicate', 'duplicate', 'ended']);
    const ended = await sessionRow(app, session.id);
    expect(ended.status).toBe('ENDED');
    expect(ivs.calls('StopStream').some((c) => c.channelArn === session.arn)).toBe(true);
    expect([...ivs.keys.values()].some((k) => k.channelArn === session.arn)).toBe(false);

    expect((await deliver(event(session.arn, 'Stream Start', new Date(t0 + 5000)))).body.data.outcome).toBe('final');
    expect((await deliver(event('arn:aws:ivs:us-west-2:123456789012:channel/unknown', 'Stream Start', new Date()))).body.data.outcome).toBe('unknown-channel');
  });

  it('falls back to polling GetStream when events are lost', async () => {
    const session = await ivsSession();
    const streamEvents = app.strapi.plugin('live').service('streamEvents');
    ivs.goLive(session.arn);
    await streamEvents.reconcile(new Date());
    expect((await sessionRow(app, session.id)).status).toBe('LIVE');
    ivs.goOffline(session.arn);
    const now = Date.now();
    await streamEvents.reconcile(new Date(now));
    expect((await sessionRow(app, session.id)).status).toBe('LIVE');
    await streamEvents.reconcile(new Date(now + 31_000));
    expect((await sessionRow(app, session.id)).status).toBe('ENDED');
  });

  it("tells the mentor what IVS refused, and leaves nothing half-made", async () => {
    const sessions = await app.strapi.db.query('plugin::live.live-session').count({});
    const channels = ivs.channels.size;
    const attempt = () =>
      app.http.post('/api/live/sessions').set(who.owner.auth).send({ courseId: who.course, title: 'Refused class', scheduledAt: new Date(Date.now() + 3600_000).toISOString() });

    // The SDK retries throttling itself (3 attempts): IVS keeps refusing.
    for (let i = 0; i < 3; i++) ivs.failNext('CreateChannel', 429, 'ThrottlingException', 'Rate exceeded');
    const throttled = await attempt();
    expect(throttled.status).toBe(503);
    expect(throttled.body.error.message).toMatch(/throttl/i);

    ivs.failNext('CreateChannel', 402, 'ServiceQuotaExceededException', 'Request would exceed the channel quota');
    const quota = await attempt();
    expect([409, 503]).toContain(quota.status);
    expect(quota.body.error.message).toMatch(/quota/i);

    ivs.failNext('CreateChannel', 403, 'AccessDeniedException', 'User is not authorized to perform: ivs:CreateChannel');
    const denied = await attempt();
    expect(denied.status).toBe(502);
    expect(denied.body.error.message).toMatch(/CreateChannel|permission|access/i);

    expect(await app.strapi.db.query('plugin::live.live-session').count({})).toBe(sessions);
    expect(ivs.channels.size).toBe(channels);
    // IVS recovered: the same request goes through.
    expect((await attempt()).status).toBe(201);
  });

  it('cues each launched poll in the stream with PutMetadata: the documented input, ≤ 1 KB, at most 5 per second per channel', async () => {
    const session = await ivsSession('Polls on IVS');
    await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({}).expect(200);
    ivs.goLive(session.arn);
    const mentor = connectClient(await listen(app), { token: (await grantOf(app, who.owner.auth, session.id)).token });
    try {
      await mentor.waitForEvent('ready');
      // Seven launches at once: IVS would throttle the sixth within a second; the server spaces them.
      const launches = await Promise.all(
        Array.from({ length: 7 }, (_, i) => mentor.call('poll:create', { poll: { question: `Question ${i + 1}?`, options: ['Yes', 'No'] }, launch: true }))
      );
      const ids = launches.map((ack) => ack.poll.id);
      const cues = await waitFor(() => {
        const sent = ivs.requests.filter((r) => r.operation === 'PutMetadata' && r.body.channelArn === session.arn);
        return sent.length >= 7 ? sent : null;
      }, 10_000, 'seven PutMetadata calls');
      expect(cues.map((c) => JSON.parse(c.body.metadata).id).sort((a: number, b: number) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      for (const cue of cues) {
        expect(Object.keys(cue.body).sort()).toEqual(['channelArn', 'metadata']);
        expect(JSON.parse(cue.body.metadata)).toEqual({ t: 'poll', id: expect.any(Number) });
        expect(Buffer.byteLength(cue.body.metadata)).toBeLessThanOrEqual(1024);
      }
      // Never more than 5 within a second: the double (as IVS) refused none with ThrottlingException.
      expect(ivs.throttled).toEqual([]);
      const times = cues.map((c) => c.at).sort((a, b) => a - b);
      expect(times[6] - times[0]).toBeGreaterThanOrEqual(1000);
    } finally {
      mentor.close();
      ivs.goOffline(session.arn);
    }
  });

  it('frees the channel of a cancelled session', async () => {
    const session = await ivsSession();
    expect((await app.http.delete(`/api/live/sessions/${session.id}`).set(who.owner.auth)).status).toBe(200);
    expect(ivs.calls('DeleteChannel').map((c) => c.arn)).toContain(session.arn);
    expect(ivs.channels.has(session.arn)).toBe(false);
  });
});
