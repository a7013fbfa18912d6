/**
 * Recordings on the local provider, end to end: a real ffmpeg publish with recording on → the
 * class ends → an MP4 that seeks (remuxed, faststart) whose length ffprobe confirms, a poster and a
 * thumbnail strip → replay with the class's chat, question, poll and "I'm lost" at their moments
 * → published as a lesson → an enrolled student gets a playable signed URL, others are refused,
 * the URL expires. An encoder reconnecting within the grace continues the same recording. Also: resuming a half-processed recording after a restart, failing with a
 * reason when its raw file is gone, and the retention job.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStrapi, freePort, type TestApp } from './helpers/strapi';
import { liveActors, publishTestPattern, scheduleSession, sessionRow, streamKeyOf, type LiveActors } from './helpers/live';
import { mediaReached, recordClass, RECORDING_UID, type RecordedClass } from './helpers/recordings';
import { waitFor } from './helpers/wait';

const { signedFileQuery } = require('../../src-plugins/live/dist/server/recordings/storage/signing');
const { derivedSecret } = require('../../src-plugins/live/dist/server/utils/signed-token');
const { loadEnv } = require('@skillyug/config');

let app: TestApp;
let who: LiveActors;
let port: number;
let storageDir: string;
let recorded: RecordedClass;

const ffprobeSeconds = (file: string) =>
  Number(spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).stdout.trim());

beforeAll(async () => {
  if (spawnSync('ffmpeg', ['-version']).status !== 0) throw new Error('ffmpeg is needed for the recording tests: .ci/run installs it (apt-get install ffmpeg)');
  port = await freePort();
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-recordings-'));
  app = await startStrapi({ PUBLIC_URL: `http://127.0.0.1:${port}`, LIVE_RECONNECT_GRACE_SECONDS: '2', LOCAL_STORAGE_DIR: storageDir });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  who = await liveActors(app);
  recorded = await recordClass(app, who, { seconds: 6 });
});
afterAll(async () => {
  await app?.stop();
  for (const name of ['PUBLIC_URL', 'LIVE_RECONNECT_GRACE_SECONDS', 'LOCAL_STORAGE_DIR']) delete process.env[name];
  fs.rmSync(storageDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe('a recorded class on the local provider', () => {
  it('becomes an MP4 of the class’s length, with a poster and a thumbnail strip, and the raw FLV is gone', async () => {
    const panel = (await app.http.get(`/live/sessions/${recorded.sessionId}/recording`).set(who.owner.auth)).body.data;
    expect(panel).toMatchObject({ status: 'ready', provider: 'local', storage: 'disk', progress: 1, stage: null, failureReason: null });
    const video = path.join(storageDir, 'recordings', recorded.recordingId, 'video.mp4');
    const seconds = ffprobeSeconds(video);
    expect(seconds).toBeGreaterThan(5);
    expect(seconds).toBeLessThan(7.5);
    expect(Math.abs(panel.durationMs / 1000 - seconds)).toBeLessThan(0.3);
    expect(panel.sizeBytes).toBe(fs.statSync(video).size);
    // faststart: the index (moov) comes before the media (mdat), so a browser can seek at once.
    const head = fs.readFileSync(video).subarray(0, 4096).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(-1);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));
    expect(fs.existsSync(path.join(storageDir, 'recordings', recorded.recordingId, 'poster.jpg'))).toBe(true);
    expect(panel.thumbnails.length).toBeGreaterThanOrEqual(1);
    // The strip's first image is the first keyframe's (its real time, a few ms in).
    expect(panel.thumbnails[0].atMs).toBeLessThan(1000);
    expect(panel.playback).toMatchObject({ kind: 'mp4' });
    expect(panel.downloadUrl).toContain('dl=');
    expect(panel.figures).toMatchObject({ messageCount: 1, totalViewers: 1 });
    // The ingest's raw file was removed once the MP4 was stored.
    const ingest = path.join(storageDir, 'ingest', 'live', recorded.channelId);
    expect(fs.existsSync(ingest) ? fs.readdirSync(ingest).filter((f) => f.endsWith('.flv')) : []).toEqual([]);
    const session = await sessionRow(app, recorded.sessionId);
    expect(session.recordingRef).toBe(recorded.recordingId);
  });

  it('plays for an enrolled student through a signed URL that serves ranges and expires; others are refused', async () => {
    const res = await app.http.get(`/api/live/recordings/${recorded.recordingId}`).set(who.enrolled.auth);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const { playback, thumbnails } = res.body.data;
    expect(playback.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/api/live/files/recordings/${recorded.recordingId}/video\\.mp4\\?`));
    const full = await get(playback.url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    await full.arrayBuffer();
    const range = await get(playback.url, { Range: 'bytes=0-99' });
    expect(range.status).toBe(206);
    expect((await range.arrayBuffer()).byteLength).toBe(100);
    expect((await get(thumbnails[0].url)).headers.get('content-type')).toBe('image/jpeg');
    expect((await get(playback.posterUrl)).status).toBe(200);
    // Failure details are for the mentor; engagement figures too.
    expect(res.body.data.figures).toBeNull();

    // The same file with a tampered signature, and with a signature that has expired.
    const tampered = playback.url.replace(/sig=([^&]+)/, (_m: string, sig: string) => `sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    expect((await get(tampered)).status).toBe(403);
    const key = `recordings/${recorded.recordingId}/video.mp4`;
    const expired = `http://127.0.0.1:${port}/api/live/files/${key}?${signedFileQuery(derivedSecret(loadEnv('cms'), 'files'), key, Math.floor(Date.now() / 1000) - 1)}`;
    const refused = await get(expired);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/expired/);
    // Without any signature.
    expect((await get(`http://127.0.0.1:${port}/api/live/files/${key}`)).status).toBe(403);

    const stranger = await app.http.get(`/api/live/recordings/${recorded.recordingId}`).set(who.stranger.auth);
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toMatch(/Enroll/);
    expect((await app.http.get(`/api/live/recordings/${recorded.recordingId}`)).status).toBe(401);
    expect((await app.http.get(`/live/sessions/${recorded.sessionId}/recording`).set(who.otherMentor.auth)).status).toBe(403);
    expect((await app.http.get('/api/live/recordings/nosuchrecording1')).status).toBe(404);
    expect((await app.http.get(`/api/live/recordings/${recorded.recordingId}?populate=*`).set(who.enrolled.auth)).status).toBe(400);
  });

  it('replays the class: chat, the question, the poll and "I’m lost" at their moments in the video', async () => {
    const res = await app.http.get(`/api/live/recordings/${recorded.recordingId}/timeline`).set(who.enrolled.auth);
    expect(res.status).toBe(200);
    const timeline = res.body.data;
    expect(timeline.durationMs).toBeGreaterThan(5000);
    const message = timeline.chat.find((m: any) => m.text === recorded.chatText);
    // Sent once ~2 s of media had arrived: it sits ~2 s into the video (the class went live with the first media).
    expect(message.atMs).toBeGreaterThanOrEqual(1000);
    expect(message.atMs).toBeLessThan(timeline.durationMs);
    expect(message.authorRole).toBe('student');
    const question = timeline.questions.find((q: any) => q.text === recorded.questionText);
    expect(question.atMs).toBeGreaterThanOrEqual(message.atMs);
    const poll = timeline.polls.find((p: any) => p.question === recorded.pollQuestion);
    expect(poll).toMatchObject({ kind: 'poll', options: ['Its own', 'The outer one too'], total: 0 });
    expect(poll.atMs).toBeGreaterThanOrEqual(question.atMs);
    expect(timeline.chapters.map((c: any) => c.kind)).toEqual(['question', 'poll']);
    expect(timeline.lost.counts.reduce((a: number, b: number) => a + b, 0)).toBe(1);
    expect((await app.http.get(`/api/live/recordings/${recorded.recordingId}/timeline`).set(who.stranger.auth)).status).toBe(403);
  });

  it('lists the ended class with its recording on the course’s past classes (public)', async () => {
    const res = await app.http.get(`/api/live/past-classes?course=${who.course}`);
    expect(res.status).toBe(200);
    const past = res.body.data.find((c: any) => c.sessionId === recorded.sessionId);
    expect(past.recording).toMatchObject({ id: recorded.recordingId, status: 'ready' });
    expect(JSON.stringify(res.body)).not.toMatch(/sig=|video\.mp4/);
    expect((await app.http.get('/api/live/past-classes?course=')).status).toBe(400);
  });

  it('is published as a lesson in one action; the lesson follows its access rules; a published recording can’t be deleted', async () => {
    const modules = (await app.http.get(`/live/sessions/${recorded.sessionId}/recording`).set(who.owner.auth)).body.data.modules;
    expect(modules.length).toBeGreaterThan(0);
    expect((await app.http.post(`/live/recordings/${recorded.recordingId}/publish`).set(who.otherMentor.auth).send({ moduleId: modules[0].id })).status).toBe(403);
    const foreignModule = await app.strapi.db.query('api::module.module').findOne({ where: { course: { documentId: who.otherCourse } }, select: ['documentId'] });
    const wrong = await app.http.post(`/live/recordings/${recorded.recordingId}/publish`).set(who.owner.auth).send({ moduleId: foreignModule.documentId });
    expect(wrong.status).toBe(400);

    const res = await app.http.post(`/live/recordings/${recorded.recordingId}/publish`).set(who.owner.auth).send({ moduleId: modules[0].id, title: 'Closures, recorded live' });
    expect(res.status).toBe(200);
    expect(res.body.data.state).toBe('published');
    const again = await app.http.post(`/live/recordings/${recorded.recordingId}/publish`).set(who.owner.auth).send({ moduleId: modules[0].id });
    expect(again.status).toBe(409);

    const lesson = (await app.http.get(`/api/lessons/${res.body.data.lessonId}`).set(who.enrolled.auth)).body.data;
    expect(lesson).toMatchObject({ title: 'Closures, recorded live', type: 'video', recording: recorded.recordingId });
    expect(lesson.duration).toBe(Math.round((await app.strapi.db.query(RECORDING_UID).findOne({ where: { documentId: recorded.recordingId } })).durationMs / 1000));
    expect(JSON.stringify(lesson.body)).toMatch(/Recorded live on/);
    // Not a preview: a visitor sees the lesson locked, without the recording.
    const anonymous = (await app.http.get(`/api/lessons/${res.body.data.lessonId}`)).body.data;
    expect(anonymous.locked).toBe(true);
    expect(anonymous.recording).toBeUndefined();

    const del = await app.http.del(`/live/recordings/${recorded.recordingId}`).set(who.owner.auth);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toMatch(/delete the lesson first/);

    // The lesson deleted in the content manager: the panel no longer calls it published, and it can be published again.
    const lessonId = res.body.data.lessonId;
    await app.strapi.documents('api::lesson.lesson').delete({ documentId: lessonId } as any);
    expect((await app.http.get(`/live/sessions/${recorded.sessionId}/recording`).set(who.owner.auth)).body.data.lessonId).toBeNull();
    const republished = await app.http.post(`/live/recordings/${recorded.recordingId}/publish`).set(who.owner.auth).send({ moduleId: modules[0].id, title: 'Closures, recorded live' });
    expect(republished.status).toBe(200);
    res.body.data.lessonId = republished.body.data.lessonId;

    // Made a preview, anyone may watch it.
    await app.strapi.documents('api::lesson.lesson').update({ documentId: res.body.data.lessonId, data: { isPreview: true } as any, status: 'published' } as any);
    await app.strapi.documents('api::lesson.lesson').publish({ documentId: res.body.data.lessonId } as any);
    const visitor = await app.http.get(`/api/live/recordings/${recorded.recordingId}`);
    expect(visitor.status).toBe(200);
    expect(visitor.body.data.playback.kind).toBe('mp4');
  });
});

describe('an encoder that drops and comes back within the grace', () => {
  it('continues the same recording: one file, one segment, both parts in the video', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Shaky connection' });
    const obs = await streamKeyOf(app, who.owner.auth, session.id);
    const channelId = obs.streamKey.split('?')[0];
    const ingest = () => (app.strapi.plugin('live').service('liveProvider').get() as any).ingestStats(channelId);
    const first = publishTestPattern(obs.server, obs.streamKey, { seconds: 60 });
    await waitFor(async () => (await sessionRow(app, session.id)).status === 'LIVE', 20_000, 'the class to go live');
    await mediaReached(app, channelId, 2000);
    await first.stop();
    await waitFor(() => ingest()?.publishStatus === 'reconnecting', 10_000, 'the ingest to wait for the encoder');
    const second = publishTestPattern(obs.server, obs.streamKey, { seconds: 60 });
    try {
      await waitFor(() => ingest()?.publishStatus === 'publishing', 10_000, 'the encoder to be back');
      await mediaReached(app, channelId, 1500);
    } finally {
      await second.stop();
    }
    expect((await sessionRow(app, session.id)).status).toBe('LIVE');
    expect((await app.http.post(`/api/live/sessions/${session.id}/end`).set(who.owner.auth).send({})).status).toBe(200);
    const row = await sessionRow(app, session.id);
    const ready = await waitFor(async () => {
      const recording = await app.strapi.db.query(RECORDING_UID).findOne({ where: { sessionId: row.id } });
      return recording && recording.status !== 'recording' && recording.status !== 'processing' ? recording : null;
    }, 60_000, 'the recording to be processed');
    expect(ready.status).toBe('ready');
    expect(ready.sources).toHaveLength(1);
    expect(ready.segments).toHaveLength(1);
    // Both parts: at least the 2 s before the drop and the 1.5 s after it.
    expect(Number(ready.durationMs)).toBeGreaterThan(3200);
  });
});

describe('processing that was interrupted, and retention', () => {
  /** A recording row as a crash leaves it: processing, leased by a process that is gone. */
  async function interruptedRecording(sources: { file: string; startedAt: string; endedAt: string }[]) {
    const session = await app.strapi.db.query('plugin::live.live-session').create({
      data: { title: 'Interrupted class', scheduledAt: new Date(), startedAt: new Date(Date.now() - 10_000), endedAt: new Date(), status: 'ENDED', provider: 'local', recording: true, courseDocumentId: who.course },
    });
    return app.strapi.db.query(RECORDING_UID).create({
      data: {
        sessionId: session.id, sessionDocumentId: session.documentId, courseDocumentId: who.course, title: 'Interrupted class', provider: 'local', storage: 'disk',
        status: 'processing', stage: 'remux', progress: 0.3, sources, leaseOwner: 'a-process-that-died', leaseUntil: new Date(Date.now() - 1000), attempts: 1,
      },
    });
  }
  const processor = () => app.strapi.plugin('live').service('recordingProcessor');
  const recordingRow = (id: number) => app.strapi.db.query(RECORDING_UID).findOne({ where: { id } });

  it('resumes a recording a restart left half-processed, and fails one whose raw file is gone with the reason', async () => {
    const flv = path.join(storageDir, 'ingest', 'resume-test.flv');
    fs.mkdirSync(path.dirname(flv), { recursive: true });
    const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=15', '-f', 'lavfi', '-i', 'sine', '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-c:a', 'aac', '-f', 'flv', flv]);
    expect(made.status).toBe(0);
    const at = new Date().toISOString();
    const resumable = await interruptedRecording([{ file: flv, startedAt: at, endedAt: at }]);
    processor().kick();
    const done = await waitFor(async () => {
      const row = await recordingRow(resumable.id);
      return row.status === 'processing' ? null : row;
    }, 60_000, 'the interrupted recording to be processed');
    expect(done.status).toBe('ready');
    expect(Number(done.durationMs)).toBeGreaterThan(3500);
    // The raw file goes once the stored copy is the recording.
    await waitFor(() => !fs.existsSync(flv), 10_000, 'the raw FLV to be removed');

    const lost = await interruptedRecording([{ file: path.join(storageDir, 'ingest', 'gone.flv'), startedAt: at, endedAt: at }]);
    processor().kick();
    const failed = await waitFor(async () => {
      const row = await recordingRow(lost.id);
      return row.status === 'processing' ? null : row;
    }, 30_000, 'the recording without a file to fail');
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/raw recording files are gone/);
  });

  it('deletes unpublished recordings past the retention age with their files, and keeps published ones', async () => {
    const old = new Date(Date.now() - 200 * 24 * 3600_000);
    const unpublished = await app.strapi.db.query(RECORDING_UID).findOne({ where: { status: 'ready', lessonDocumentId: { $null: true } } });
    const published = await app.strapi.db.query(RECORDING_UID).findOne({ where: { documentId: recorded.recordingId } });
    await app.strapi.db.query(RECORDING_UID).updateMany({ where: { id: { $in: [unpublished.id, published.id] } }, data: { createdAt: old } });
    const folder = path.join(storageDir, 'recordings', unpublished.documentId);
    expect(fs.existsSync(folder)).toBe(true);

    const deleted = await app.strapi.plugin('live').service('recordings').sweepRetention();
    expect(deleted).toBeGreaterThanOrEqual(1);
    // The panel says what happened to it.
    const gone = await app.http.get(`/live/sessions/${unpublished.sessionDocumentId}/recording`).set(who.admin.auth);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toMatch(/recording was deleted on \d{4}-\d{2}-\d{2}/);
    expect(await app.strapi.db.query(RECORDING_UID).findOne({ where: { id: unpublished.id } })).toBeNull();
    expect(fs.existsSync(folder)).toBe(false);
    expect(await app.strapi.db.query(RECORDING_UID).findOne({ where: { id: published.id } })).not.toBeNull();
  });
});
