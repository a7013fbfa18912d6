/**
 * Recordings on Amazon IVS: channels of recorded classes get the recording configuration; the
 * four "IVS Recording State Change" events on the signed webhook create, import (from
 * recording-ended.json in IVS's bucket: a real S3 API on loopback) or fail the recording, and
 * stay right when delivered twice or out of order; replay goes through the playlist proxy, which
 * signs every segment for the viewer; deleting removes IVS's objects.
 */
import crypto from 'node:crypto';
import { S3Client, PutObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startStrapi, type TestApp } from './helpers/strapi';
import { startIvsDouble, type IvsDouble } from './helpers/ivs-double';
import { liveActors, scheduleSession, sessionRow, type LiveActors } from './helpers/live';
import { RECORDING_UID } from './helpers/recordings';
import { waitFor } from './helpers/wait';
import { startS3Server, type TestS3Server } from '../../src-plugins/live/server/src/recordings/storage/__tests__/s3-server';

const EVENTS_SECRET = crypto.randomBytes(24).toString('base64url');
const RECORDING_CONFIGURATION_ARN = 'arn:aws:ivs:us-west-2:123456789012:recording-configuration/RcRc1234abcd';
const IVS_BUCKET = 'ivs-recordings-test';
const MEDIA_BUCKET = 'skillyug-media';
const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const VARIABLES = {
  LIVE_PROVIDER: 'ivs',
  AWS_REGION: 'us-west-2',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  IVS_EVENTS_SECRET: EVENTS_SECRET,
  IVS_PLAYBACK_KEY_PAIR_ARN: 'arn:aws:ivs:us-west-2:123456789012:playback-key/abcdEFGH1234',
  IVS_PLAYBACK_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
  IVS_RECORDING_CONFIGURATION_ARN: RECORDING_CONFIGURATION_ARN,
  UPLOAD_PROVIDER: 's3',
  S3_BUCKET: MEDIA_BUCKET,
  S3_FORCE_PATH_STYLE: 'true',
};

let app: TestApp;
let ivs: IvsDouble;
let s3: TestS3Server;
let client: S3Client;
let who: LiveActors;
let port: number;

beforeAll(async () => {
  ivs = await startIvsDouble();
  s3 = await startS3Server([IVS_BUCKET, MEDIA_BUCKET]);
  client = new S3Client({ region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
  const { freePort } = await import('./helpers/strapi');
  port = await freePort();
  app = await startStrapi({
    ...VARIABLES,
    IVS_ENDPOINT: ivs.url,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    S3_REGION: s3.region,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  who = await liveActors(app);
});
afterAll(async () => {
  client?.destroy();
  await app?.stop();
  await ivs?.close();
  await s3?.stop();
  for (const name of [...Object.keys(VARIABLES), 'IVS_ENDPOINT', 'PUBLIC_URL', 'S3_REGION', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) delete process.env[name];
});

const deliver = (body: unknown) => app.http.post('/api/live/events/ivs').set('x-ivs-events-secret', EVENTS_SECRET).send(body as object);

/** An "IVS Recording State Change" as EventBridge delivers it. */
function recordingEvent(channelArn: string, status: string, prefix: string, at: Date, extra: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'IVS Recording State Change',
    source: 'aws.ivs',
    account: '123456789012',
    time: at.toISOString(),
    region: 'us-west-2',
    resources: [channelArn],
    detail: {
      channel_name: '',
      stream_id: 'st-1Z2y3X4w5V6u',
      recording_status: status,
      recording_status_reason: '',
      recording_s3_bucket_name: IVS_BUCKET,
      recording_s3_key_prefix: prefix,
      recording_duration_ms: 61_500,
      recording_session_id: `rs-${crypto.randomBytes(4).toString('hex')}`,
      recording_session_stream_ids: ['st-1Z2y3X4w5V6u'],
      ...extra,
    },
  };
}

/** What IVS writes for a finished recording (the layout of the IVS docs), into the loopback bucket. */
async function writeIvsRecording(prefix: string) {
  const put = (key: string, body: string | Buffer, type: string) => client.send(new PutObjectCommand({ Bucket: IVS_BUCKET, Key: `${prefix}/${key}`, Body: body, ContentType: type }));
  await put(
    'events/recording-ended.json',
    JSON.stringify({
      version: 'v1',
      recording_started_at: '2026-12-02T10:00:00Z',
      recording_ended_at: '2026-12-02T10:01:01Z',
      channel_arn: 'x',
      recording_status: 'RECORDING_ENDED',
      media: {
        hls: {
          duration_ms: 61_500,
          path: 'media/hls',
          playlist: 'master.m3u8',
          renditions: [{ path: '720p30', playlist: 'playlist.m3u8', resolution_width: 1280, resolution_height: 720 }],
        },
        thumbnails: { path: 'media/thumbnails', resolution_width: 1280, resolution_height: 720 },
        latest_thumbnail: { path: 'media/latest_thumbnail/thumb.jpg' },
      },
    }),
    'application/json'
  );
  await put('media/hls/master.m3u8', '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720\n720p30/playlist.m3u8\n', 'application/vnd.apple.mpegurl');
  await put('media/hls/720p30/playlist.m3u8', '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:31\n#EXTINF:30.0,\n0.ts\n#EXTINF:31.5,\n1.ts\n#EXT-X-ENDLIST\n', 'application/vnd.apple.mpegurl');
  await put('media/hls/720p30/0.ts', Buffer.from('segment-zero'), 'video/mp2t');
  await put('media/hls/720p30/1.ts', Buffer.from('segment-one'), 'video/mp2t');
  for (const index of [0, 1, 2]) await put(`media/thumbnails/thumb${index}.jpg`, Buffer.from(`thumb-${index}`), 'image/jpeg');
  await put('media/latest_thumbnail/thumb.jpg', Buffer.from('latest'), 'image/jpeg');
}

async function recordedSession(title: string) {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title });
  const row = await sessionRow(app, session.id);
  const channelId = String(row.channelId).split('/').pop();
  const prefix = `ivs/v1/123456789012/${channelId}/2026/12/2/10/0/${crypto.randomBytes(6).toString('hex')}`;
  return { id: session.id, arn: row.channelId as string, row, prefix };
}

const recordingOf = async (sessionDbId: number) => app.strapi.db.query(RECORDING_UID).findOne({ where: { sessionId: sessionDbId } });

describe('recordings on Amazon IVS', () => {
  it('attaches the recording configuration to the channels of classes that record, and switches it with the class', async () => {
    const recorded = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Recorded on IVS' });
    const unrecorded = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Not recorded', recording: false });
    const arns = ivs.calls('CreateChannel').map((c: any) => c.recordingConfigurationArn);
    expect(arns.slice(-2)).toEqual([RECORDING_CONFIGURATION_ARN, '']);
    // Turning recording off on the scheduled class reaches IVS (UpdateChannel), not just our row.
    const res = await app.http.put(`/api/live/sessions/${recorded.id}`).set(who.owner.auth).send({ recording: false });
    expect(res.status).toBe(200);
    const row = await sessionRow(app, recorded.id);
    expect(ivs.calls('UpdateChannel').at(-1)).toEqual({ arn: row.channelId, recordingConfigurationArn: '' });
    await app.http.put(`/api/live/sessions/${unrecorded.id}`).set(who.owner.auth).send({ recording: true });
    expect(ivs.calls('UpdateChannel').at(-1).recordingConfigurationArn).toBe(RECORDING_CONFIGURATION_ARN);
  });

  it('creates the recording on Start, imports it on End (duplicates change nothing), and replays it through signed playlists', async () => {
    const session = await recordedSession('IVS recorded class');
    await writeIvsRecording(session.prefix);
    const start = recordingEvent(session.arn, 'Recording Start', session.prefix, new Date(Date.now() - 62_000));
    expect((await deliver(start)).body.data.outcome).toBe('applied');
    expect((await deliver(start)).body.data.outcome).toBe('stale');
    expect(await recordingOf(session.row.id)).toMatchObject({ status: 'recording', provider: 'ivs', ivsBucket: IVS_BUCKET, ivsPrefix: session.prefix });

    const end = recordingEvent(session.arn, 'Recording End', session.prefix, new Date());
    expect((await deliver(end)).body.data.outcome).toBe('applied');
    const ready = await waitFor(async () => {
      const row = await recordingOf(session.row.id);
      return row?.status === 'ready' || row?.status === 'failed' ? row : null;
    }, 20_000, 'the IVS recording to be imported');
    expect(ready).toMatchObject({ status: 'ready', mediaKind: 'hls', mediaKey: `${session.prefix}/media/hls/master.m3u8`, posterKey: `${session.prefix}/media/latest_thumbnail/thumb.jpg` });
    expect(Number(ready.durationMs)).toBe(61_500);
    expect((await deliver(end)).body.data.outcome).toBe('stale');

    const res = await app.http.get(`/api/live/recordings/${ready.documentId}`).set(who.enrolled.auth);
    expect(res.status).toBe(200);
    const { playback, thumbnails } = res.body.data;
    expect(thumbnails.map((t: any) => t.atMs)).toEqual([0, 20_500, 41_000]);
    expect(playback.kind).toBe('hls');
    expect(playback.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/api/live/recordings/${ready.documentId}/hls/master\\.m3u8\\?token=`));
    const master = await fetch(playback.url);
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toContain('mpegurl');
    const variantUrl = (await master.text()).split('\n').find((line) => line.startsWith('http'))!;
    expect(variantUrl).toContain(`/hls/720p30/playlist.m3u8?token=`);
    const variant = (await (await fetch(variantUrl)).text()).split('\n');
    const segments = variant.filter((line) => line.startsWith('http'));
    expect(segments).toHaveLength(2);
    // Each segment is a presigned URL to IVS's bucket for this object, expiring with the token.
    expect(segments[0]).toContain(`/${IVS_BUCKET}/${session.prefix}/media/hls/720p30/0.ts`);
    expect(segments[0]).toContain('X-Amz-Signature=');
    expect(Buffer.from(await (await fetch(segments[1])).arrayBuffer()).toString()).toBe('segment-one');
    // A tampered or foreign token, and a path outside the recording, are refused.
    expect((await fetch(playback.url.replace(/token=([^&]+)/, 'token=v1.e30.AAAA'))).status).toBe(403);
    const other = await recordedSession('Another IVS class');
    expect((await fetch(playback.url.replace(ready.documentId, String(other.row.documentId)))).status).toBe(403);
    expect((await fetch(playback.url.replace('master.m3u8', '..%2F..%2Fevents%2Frecording-ended.json'))).status).toBeGreaterThanOrEqual(400);
    expect((await app.http.get(`/api/live/recordings/${ready.documentId}`).set(who.stranger.auth)).status).toBe(403);

    // Deleting removes what IVS wrote.
    expect((await app.http.del(`/live/recordings/${ready.documentId}`).set(who.owner.auth)).status).toBe(204);
    const left = await client.send(new ListObjectsV2Command({ Bucket: IVS_BUCKET, Prefix: `${session.prefix}/` }));
    expect(left.KeyCount ?? 0).toBe(0);
  });

  it('takes End before Start (out of order) and keeps it imported when the late Start arrives', async () => {
    const session = await recordedSession('Out of order');
    await writeIvsRecording(session.prefix);
    await deliver(recordingEvent(session.arn, 'Recording End', session.prefix, new Date()));
    await waitFor(async () => (await recordingOf(session.row.id))?.status === 'ready', 20_000, 'the recording to be imported');
    const late = await deliver(recordingEvent(session.arn, 'Recording Start', session.prefix, new Date(Date.now() - 60_000)));
    expect(late.body.data.outcome).toBe('stale');
    expect((await recordingOf(session.row.id)).status).toBe('ready');
  });

  it('fails with IVS’s reason on a failure event, shown to the mentor; a student is told only that it failed', async () => {
    const session = await recordedSession('Failing');
    await deliver(recordingEvent(session.arn, 'Recording Start', session.prefix, new Date(Date.now() - 10_000)));
    await deliver(recordingEvent(session.arn, 'Recording End Failure', session.prefix, new Date(), { recording_status_reason: 'S3 access denied' }));
    const row = await recordingOf(session.row.id);
    expect(row.status).toBe('failed');
    const panel = await app.http.get(`/live/sessions/${session.id}/recording`).set(who.owner.auth);
    expect(panel.body.data.failureReason).toMatch(/Recording End Failure.*S3 access denied/);
    const student = await app.http.get(`/api/live/recordings/${row.documentId}`).set(who.enrolled.auth);
    expect(student.body.data.failureReason).toBe('The recording could not be processed');
    // A later End doesn't resurrect it.
    expect((await deliver(recordingEvent(session.arn, 'Recording End', session.prefix, new Date()))).body.data.outcome).toBe('stale');
  });

  it('fails a recording whose recording-ended.json is missing, and refuses malformed events with 400', async () => {
    const session = await recordedSession('Missing metadata');
    await deliver(recordingEvent(session.arn, 'Recording End', session.prefix, new Date()));
    const failed = await waitFor(async () => {
      const row = await recordingOf(session.row.id);
      return row?.status === 'failed' || row?.status === 'ready' ? row : null;
    }, 20_000, 'the import to give up');
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/wrote no recording-ended\.json/);
    const bad = recordingEvent(session.arn, 'Recording End', '../../etc', new Date());
    expect((await deliver(bad)).status).toBe(400);
    const badStatus = recordingEvent(session.arn, 'Recording Paused', session.prefix, new Date());
    expect((await deliver(badStatus)).status).toBe(400);
  });
});
