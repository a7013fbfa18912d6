import http from 'node:http';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { startStrapi, freePort, type TestApp } from './helpers/strapi';
import { liveActors, scheduleSession, streamKeyOf, sessionRow, ATTENDEE_UID, type LiveActors } from './helpers/live';
import { waitFor } from './helpers/wait';

/**
 * The local provider through Strapi with a real RTMP publish: Debian's ffmpeg streams a test
 * pattern to the embedded ingest with the key the panel shows, and viewers pull HTTP-FLV and
 * WS-FLV through Strapi's own port with their playback token.
 */
const { signPlayToken } = require('../../src-plugins/live/dist/server/sessions/providers/local/play-token');
const { derivedSecret } = require('../../src-plugins/live/dist/server/utils/signed-token');

let app: TestApp;
let who: LiveActors;
let port: number;
const publishers = new Set<ChildProcess>();

beforeAll(async () => {
  const ffmpeg = spawnSync('ffmpeg', ['-version']);
  if (ffmpeg.error || ffmpeg.status !== 0) throw new Error('ffmpeg is needed for the live media tests: .ci/run installs it (apt-get install ffmpeg)');
  port = await freePort();
  app = await startStrapi({ PUBLIC_URL: `http://127.0.0.1:${port}`, LIVE_RECONNECT_GRACE_SECONDS: '2' });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  who = await liveActors(app);
});
afterAll(async () => {
  for (const child of publishers) child.kill('SIGKILL');
  await app?.stop();
  for (const name of ['PUBLIC_URL', 'LIVE_RECONNECT_GRACE_SECONDS']) delete process.env[name];
});

/** What OBS does with the panel's settings: Server + "/" + Stream Key. */
function publish(server: string, streamKey: string) {
  const child = spawn(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440',
      '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '30', '-c:a', 'aac', '-t', '60', '-f', 'flv', `${server}/${streamKey}`],
    { stdio: 'ignore' }
  );
  publishers.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { publishers.delete(child); resolve(code); }));
  return { child, exited };
}


/** GETs a URL over the loopback and resolves with the status and the first bytes of the body. */
function firstBytes(url: string, bytes = 13): Promise<{ status: number; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let head = Buffer.alloc(0);
      const done = () => { req.destroy(); resolve({ status: res.statusCode ?? 0, head }); };
      res.on('data', (chunk: Buffer) => { head = Buffer.concat([head, chunk]); if (head.length >= bytes) done(); });
      res.on('end', done);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer')));
  });
}

describe('local live provider end to end', () => {
  it('goes live on publish, plays for an authorized viewer only, refuses a wrong key, and ends on unpublish', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Media path class' });
    const obs = await streamKeyOf(app, who.owner.auth, session.id);
    expect(obs.server).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);

    // A wrong key is refused at publish: ffmpeg gives up, the class stays scheduled.
    const [channelId] = obs.streamKey.split('?');
    const wrong = publish(obs.server, `${channelId}?key=${'x'.repeat(43)}`);
    expect(await Promise.race([wrong.exited, new Promise((r) => setTimeout(() => r('still running'), 8000))])).not.toBe(0);
    expect((await sessionRow(app, session.id)).status).toBe('SCHEDULED');

    const encoder = publish(obs.server, obs.streamKey);
    await waitFor(async () => (await sessionRow(app, session.id)).status === 'LIVE', 15_000, 'the session to go live');

    const join = await app.http.get(`/api/live/sessions/${session.id}/join`).set(who.enrolled.auth);
    expect(join.status).toBe(200);
    const { url, wsUrl } = join.body.data.playback;
    expect(new URL(url).port).toBe(String(port));

    const played = await firstBytes(url, 400);
    expect(played.status).toBe(200);
    expect(played.head.subarray(0, 3).toString()).toBe('FLV');

    const ws = new WebSocket(wsUrl);
    const wsHead: Buffer = await new Promise((resolve, reject) => {
      ws.once('message', (data) => resolve(Buffer.from(data as Buffer)));
      ws.once('error', reject);
    });
    ws.terminate();
    expect(wsHead.subarray(0, 3).toString()).toBe('FLV');

    // The mentor's stream health, measured from the ingest over a few seconds.
    const stream = await waitFor(async () => {
      const res = await app.http.get(`/api/live/sessions/${session.id}/status`).set(who.owner.auth);
      const { fps, bitrateKbps } = res.body.data.stream;
      return fps !== null && bitrateKbps !== null && res.body.data.stream;
    }, 10_000, 'stream health figures');
    expect(stream).toMatchObject({ live: true, health: 'HEALTHY' });
    expect(stream.fps).toBeGreaterThan(20);
    expect(stream.keyframeIntervalSeconds).toBeCloseTo(1, 0);
    expect(stream.bitrateKbps).toBeGreaterThan(0);

    // Anyone else: a tampered token, an expired one, none at all.
    const tampered = new URL(url);
    tampered.searchParams.set('token', `${tampered.searchParams.get('token')!.slice(0, -2)}xx`);
    const expired = new URL(url);
    expired.searchParams.set('token', signPlayToken(derivedSecret({ DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY }, 'local-playback'), {
      channelId, viewerId: `student-${who.enrolled.id}`, expiresAt: Math.floor(Date.now() / 1000) - 5,
    }));
    const bare = new URL(url);
    bare.search = '';
    for (const refused of [tampered, expired, bare]) {
      const res = await firstBytes(refused.toString());
      expect(res.status).toBe(403);
      expect(res.head.subarray(0, 3).toString()).not.toBe('FLV');
    }
    const wsRefused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(bare.toString().replace(/^http/, 'ws'));
      socket.once('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      socket.once('open', () => resolve(101));
      socket.once('error', () => resolve(-1));
    });
    expect(wsRefused).toBe(403);

    // The encoder stops: after the reconnect grace the class ends and attendance closes.
    encoder.child.kill('SIGKILL');
    await waitFor(async () => (await sessionRow(app, session.id)).status === 'ENDED', 15_000, 'the session to end');
    const row = await sessionRow(app, session.id);
    // Attendance closes as the class ends (right after its status turns ENDED: wait for it, don't race it).
    const attendee = await waitFor(async () => {
      const current = await app.strapi.db.query(ATTENDEE_UID).findOne({ where: { sessionId: row.id } });
      return current.activeSince === null ? current : null;
    }, 10_000, 'the attendance to close');
    expect(attendee.leftAt).not.toBeNull();
    expect((await app.http.get(`/api/live/sessions/${session.id}/join`).set(who.enrolled.auth)).status).toBe(409);

    // The ended class's key is dead: publishing again is refused.
    const again = publish(obs.server, obs.streamKey);
    expect(await Promise.race([again.exited, new Promise((r) => setTimeout(() => r('still running'), 8000))])).not.toBe(0);
    expect((await sessionRow(app, session.id)).status).toBe('ENDED');
  });

  it('refuses the old key after a regenerate and accepts the new one', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Regenerated key class' });
    const old = await streamKeyOf(app, who.owner.auth, session.id);
    const fresh = await app.http.post(`/live/sessions/${session.id}/stream-key`).set(who.owner.auth).send({});
    const refused = publish(old.server, old.streamKey);
    expect(await Promise.race([refused.exited, new Promise((r) => setTimeout(() => r('still running'), 8000))])).not.toBe(0);
    expect((await sessionRow(app, session.id)).status).toBe('SCHEDULED');
    const encoder = publish(old.server, fresh.body.data.streamKey);
    await waitFor(async () => (await sessionRow(app, session.id)).status === 'LIVE', 15_000, 'the session to go live');
    encoder.child.kill('SIGKILL');
    const end = await app.http.post(`/api/live/sessions/${session.id}/end`).set(who.owner.auth).send({});
    expect(end.body.data.status).toBe('ENDED');
  });
});
