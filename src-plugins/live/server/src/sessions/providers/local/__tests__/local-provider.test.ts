/**
 * End to end with real RTMP: ffmpeg publishes a test pattern to the embedded ingest, a plain
 * http.Server stands in for Strapi (routes /api/live/play/* and upgrades to the provider), and
 * players read HTTP-FLV and WS-FLV from it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { localProvider, type LocalLiveProvider } from '..';
import type { ChannelRecord, ProvisionedChannel, StreamEvent } from '../../types';
import { signPlayToken } from '../play-token';

jest.setTimeout(30_000);

const GRACE_MS = 2000; // ffmpeg needs ~0.5 s from spawn to publish; the reconnect test must fit in the grace
const secret = randomBytes(32).toString('base64url');
const logLines: string[] = [];
const logger = {
  debug: (m: string) => logLines.push(`debug ${m}`),
  info: (m: string) => logLines.push(`info ${m}`),
  warn: (m: string) => logLines.push(`warn ${m}`),
  error: (m: string) => logLines.push(`error ${m}`),
};
const secretsSeen: string[] = [];

let rtmpPort: number;
let mediaHttpPort: number;
let strapiPort: number;
let provider: LocalLiveProvider;
let strapi: http.Server;
const events: StreamEvent[] = [];
const publishers = new Set<ChildProcess>();
const consoleOutput: string[] = [];
const NmsContext = require('node-media-server/src/core/context.js');
const watchedEvents = ['prePublish', 'postPublish', 'donePublish', 'prePlay', 'postPlay', 'donePlay'];
let baseline: Record<string, number>;

function listenerCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of watchedEvents) counts[event] = NmsContext.eventEmitter.listenerCount(event);
  for (const signal of ['SIGINT', 'SIGTERM', 'exit'] as const) counts[`process:${signal}`] = process.listenerCount(signal);
  return counts;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function makeProvider(overrides: Partial<Parameters<typeof localProvider>[0]> = {}): LocalLiveProvider {
  return localProvider({ rtmpPort, mediaHttpPort, ingestHost: '127.0.0.1', publicUrl: `http://127.0.0.1:${strapiPort}`, secret, reconnectGraceMs: GRACE_MS, logger, ...overrides });
}

/** What OBS does: Server + "/" + Stream Key. */
function publish(server: string, streamKey: string): { process: ChildProcess; exited: Promise<number | null> } {
  const child = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440',
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '30', '-c:a', 'aac',
    '-t', '40', '-f', 'flv', `${server}/${streamKey}`,
  ], { stdio: 'ignore' });
  publishers.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { publishers.delete(child); resolve(code); }));
  return { process: child, exited };
}

function nextEvent(channelId: string, type: StreamEvent['type'], timeoutMs: number): Promise<StreamEvent | null> {
  const already = events.length;
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = events.slice(already).find((e) => e.channelId === channelId && e.type === type);
      if (found || Date.now() - started > timeoutMs) {
        clearInterval(poll);
        resolve(found ?? null);
      }
    }, 20);
  });
}

type Fetched = { status: number; body: Buffer; firstByteMs: number | null; headers: http.IncomingHttpHeaders };

/** GET and read up to `bytes` (the stream never ends by itself), then hang up. */
function fetchHead(url: string, { bytes = 13, timeoutMs = 5000, keepOpen = false } = {}): Promise<Fetched & { close(): void }> {
  return new Promise((resolve, reject) => {
    const sentAt = Date.now();
    const req = http.get(url, (res) => {
      const chunks: Buffer[] = [];
      let firstByteMs: number | null = null;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (!keepOpen) req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), firstByteMs, headers: res.headers, close: () => req.destroy() });
      };
      const timer = setTimeout(finish, timeoutMs);
      res.on('data', (chunk: Buffer) => {
        firstByteMs ??= Date.now() - sentAt;
        chunks.push(chunk);
        if (Buffer.concat(chunks).length >= bytes) finish();
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', reject);
  });
}

/** A minimal WebSocket client: the handshake, then the first binary frame's payload. */
function wsFirstFrame(url: string, timeoutMs = 5000): Promise<{ status: number; payload: Buffer | null; firstByteMs: number | null }> {
  return new Promise((resolve, reject) => {
    const { hostname, port, pathname, search } = new URL(url);
    const sentAt = Date.now();
    const req = http.request({
      hostname, port, path: pathname + search,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
    });
    const timer = setTimeout(() => { req.destroy(); resolve({ status: -1, payload: null, firstByteMs: null }); }, timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve({ status: res.statusCode ?? 0, payload: null, firstByteMs: null });
    });
    req.on('upgrade', (res, socket, head) => {
      let buffer = head;
      const tryFrame = () => {
        if (buffer.length < 2) return;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); offset = 4; }
        else if (length === 127) { if (buffer.length < 10) return; length = Number(buffer.readBigUInt64BE(2)); offset = 10; }
        if (buffer.length < offset + length) return;
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, payload: buffer.subarray(offset, offset + length), firstByteMs: Date.now() - sentAt });
      };
      socket.on('data', (chunk: Buffer) => { buffer = Buffer.concat([buffer, chunk]); tryFrame(); });
      tryFrame();
    });
    req.on('error', reject);
    req.end();
  });
}

const asRecord = ({ streamKey: _key, ...record }: ProvisionedChannel): ChannelRecord => record;

/** Polls a condition the provider has no event for, until it holds or the time is up (then the test's own expects say what's wrong). */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

beforeAll(async () => {
  const ffmpeg = spawnSync('ffmpeg', ['-version']);
  if (ffmpeg.error || ffmpeg.status !== 0) {
    throw new Error('ffmpeg is required for the local live provider tests (a real RTMP publish); .ci/run installs it (apt-get install ffmpeg)');
  }
  baseline = listenerCounts();
  [rtmpPort, mediaHttpPort, strapiPort] = [await freePort(), await freePort(), await freePort()];
  // node-media-server writes to console.log unless its logger is routed; anything there is checked for secrets too.
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { consoleOutput.push(args.map(String).join(' ')); });

  provider = makeProvider();
  provider.onStreamEvent((event) => { events.push(event); });
  await provider.start();

  strapi = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/live/play/')) provider.handlePlayRequest(req, res);
    else res.writeHead(404).end();
  });
  strapi.on('upgrade', (req, socket, head) => {
    if (!provider.handlePlayUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => strapi.listen(strapiPort, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const child of publishers) child.kill('SIGKILL');
  await provider?.stop();
  strapi?.closeAllConnections();
  await new Promise((resolve) => strapi?.close(resolve));
  jest.restoreAllMocks();
});

describe('local live provider, end to end', () => {
  let live: ProvisionedChannel;
  let liveViewer: { close(): void } | null = null;

  it('publishes with the right key, plays to an authorized viewer over HTTP-FLV and WS-FLV, measures the stream', async () => {
    live = await provider.createChannel({ sessionId: 's1', title: 'Live', recording: false });
    secretsSeen.push(live.streamKey.split('?key=')[1]);
    expect(live).toMatchObject({ provider: 'local', ingestServer: `rtmp://127.0.0.1:${rtmpPort}/live`, playbackUrl: '', streamKeyRef: null });
    expect(live.channelId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(live.streamKey).toMatch(new RegExp(`^${live.channelId}\\?key=[A-Za-z0-9_-]{43}$`));

    const started = nextEvent(live.channelId, 'started', 10_000);
    const publishedAt = Date.now();
    publish(live.ingestServer, live.streamKey);
    const event = await started;
    expect(event).toMatchObject({ channelId: live.channelId, type: 'started' });
    console.info(`local provider: 'started' ${Date.now() - publishedAt} ms after spawning ffmpeg`);

    const playback = await provider.playback(asRecord(live), { viewerId: 'viewer-1', origin: 'http://localhost:3000' }, 300);
    expect(playback.kind).toBe('flv');
    expect(playback.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${strapiPort}/api/live/play/${live.channelId}\\.flv\\?token=`));
    expect(playback.wsUrl).toBe(playback.url.replace(/^http/, 'ws'));
    expect(Date.parse(playback.expiresAt) - Date.now()).toBeGreaterThan(290_000);
    secretsSeen.push(new URL(playback.url).searchParams.get('token')!);

    const flv = await fetchHead(playback.url, { bytes: 64 * 1024, keepOpen: true });
    liveViewer = flv;
    expect(flv.status).toBe(200);
    expect(flv.body.subarray(0, 3).toString()).toBe('FLV');
    expect(flv.headers['access-control-allow-origin']).toBe('*');
    const ws = await wsFirstFrame(playback.wsUrl!);
    expect(ws.status).toBe(101);
    expect(ws.payload?.subarray(0, 3).toString()).toBe('FLV');
    console.info(`local provider: first FLV byte after ${flv.firstByteMs} ms (HTTP), first WS frame after ${ws.firstByteMs} ms`);

    // A few seconds of media for the sliding window.
    await until(() => {
      const firstMediaAt = provider.ingestStats(live.channelId)?.firstMediaAt;
      return firstMediaAt != null && Date.now() - firstMediaAt >= 3500;
    }, 10_000);
    const health = await provider.streamHealth(asRecord(live));
    console.info(`local provider: stream health ${JSON.stringify(health)}`);
    expect(health).toMatchObject({ live: true, health: 'HEALTHY', startedAt: event!.at.toISOString() });
    expect(health.fps).toBeGreaterThanOrEqual(25);
    expect(health.fps).toBeLessThanOrEqual(35);
    expect(health.keyframeIntervalSeconds).toBeGreaterThanOrEqual(0.8);
    expect(health.keyframeIntervalSeconds).toBeLessThanOrEqual(1.2);
    expect(health.bitrateKbps).toBeGreaterThan(0);
    expect(health.viewerCount).toBeGreaterThanOrEqual(1);
    expect(health.warnings.filter((w) => /Keyframe|Frame rate|No video/.test(w))).toEqual([]);
    expect(provider.ingestStats(live.channelId)).toMatchObject({ publishStatus: 'publishing', viewerCount: health.viewerCount });
  });

  it('refuses players without a valid token for this channel (403), and streams that are not live (404)', async () => {
    const base = `http://127.0.0.1:${strapiPort}/api/live/play/${live.channelId}.flv`;
    const good = await provider.playback(asRecord(live), { viewerId: 'v', origin: '' }, 60);
    const goodToken = new URL(good.url).searchParams.get('token')!;
    const other = await provider.createChannel({ sessionId: 's2', title: 'Other', recording: false });
    const otherToken = new URL((await provider.playback(asRecord(other), { viewerId: 'v', origin: '' }, 60)).url).searchParams.get('token')!;
    const expired = signPlayToken(secret, { channelId: live.channelId, viewerId: 'v', expiresAt: Math.floor(Date.now() / 1000) - 5 });
    const tampered = `${goodToken.slice(0, -3)}${goodToken.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`;

    const cases: [string, string, string][] = [
      ['no token', base, 'A playback token is required'],
      ['a wrong token', `${base}?token=${tampered}`, 'Invalid playback token'],
      ['garbage', `${base}?token=not-a-token`, 'Invalid playback token'],
      ['an expired token', `${base}?token=${expired}`, 'The playback token has expired'],
      ["another channel's token", `${base}?token=${otherToken}`, 'The playback token is for another stream'],
    ];
    for (const [, url, message] of cases) {
      const response = await fetchHead(url, { bytes: 1 << 20, timeoutMs: 2000 });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body.toString())).toEqual({ error: { status: 403, message } });
      const ws = await wsFirstFrame(url.replace(/^http/, 'ws'));
      expect(ws.status).toBe(403);
    }

    // A valid token for a channel with no publisher.
    const notLive = await fetchHead(`http://127.0.0.1:${strapiPort}/api/live/play/${other.channelId}.flv?token=${otherToken}`, { bytes: 1 << 20 });
    expect(notLive.status).toBe(404);
    expect(JSON.parse(notLive.body.toString())).toEqual({ error: { status: 404, message: 'This stream is not live' } });

    // Other methods and bodies are refused before NMS sees them.
    const post = await new Promise<number>((resolve) => {
      const req = http.request(`${base}?token=${goodToken}`, { method: 'POST' }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.end('FLV');
    });
    expect(post).toBe(405);

    // NMS's own port: nothing without a hand-over, not even with a forged NMS signature.
    for (const path of [`/live/${live.channelId}.flv`, `/live/${live.channelId}.flv?sign=9999999999-00000000000000000000000000000000`, '/admin/', '/api/v1/streams']) {
      const direct = await fetchHead(`http://127.0.0.1:${mediaHttpPort}${path}`, { bytes: 1 << 20, timeoutMs: 1500 });
      expect(direct.status).toBe(403);
      expect(direct.body.subarray(0, 3).toString()).not.toBe('FLV');
    }
    const directWs = await wsFirstFrame(`ws://127.0.0.1:${mediaHttpPort}/live/${live.channelId}.flv`, 1500);
    expect(directWs.payload).toBeNull();

    // The authorized viewer is still counted; the refused ones were not.
    expect((await provider.streamHealth(asRecord(live))).viewerCount).toBe(1);
  });

  it('refuses publishers with a wrong key, no key, an unknown channel or a second encoder; a regenerated key replaces the old one', async () => {
    const channel = await provider.createChannel({ sessionId: 's3', title: 'Keys', recording: false });
    const server = channel.ingestServer;
    const oldSecret = channel.streamKey.split('?key=')[1];
    secretsSeen.push(oldSecret);
    const anyStarted = nextEvent(channel.channelId, 'started', 4000);
    const attempts = [
      publish(server, `${channel.channelId}?key=${randomBytes(32).toString('base64url')}`),
      publish(server, channel.channelId),
      publish(server, `${channel.channelId}?key=`),
      publish(server, `unknownChannel123?key=${oldSecret}`),
      publish(server, `${live.channelId}?key=${oldSecret}`),
      // the right key while another encoder is live on the channel
      publish(server, live.streamKey),
    ];
    const codes = await Promise.all(attempts.map((a) => a.exited));
    for (const code of codes) expect(code).not.toBe(0);
    expect(await anyStarted).toBeNull();
    expect((await provider.streamHealth(asRecord(live))).live).toBe(true);

    // Publish with the key, then regenerate: the encoder is cut off, the old key no longer works.
    const started = nextEvent(channel.channelId, 'started', 10_000);
    const first = publish(server, channel.streamKey);
    expect(await started).not.toBeNull();
    const { streamKey: newKey, streamKeyRef } = await provider.regenerateStreamKey(asRecord(channel));
    secretsSeen.push(newKey.split('?key=')[1]);
    expect(streamKeyRef).toBeNull();
    expect(newKey).not.toBe(channel.streamKey);
    expect(newKey.startsWith(`${channel.channelId}?key=`)).toBe(true);
    expect(await first.exited).not.toBe(0);
    expect(await publish(server, channel.streamKey).exited).not.toBe(0);

    const second = publish(server, newKey);
    const deadline = Date.now() + 10_000;
    while (provider.ingestStats(channel.channelId)?.publishStatus !== 'publishing' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(provider.ingestStats(channel.channelId)?.publishStatus).toBe('publishing');

    // Retire: the encoder is cut off at once, 'ended' without waiting for the grace, the key is dead.
    const ended = nextEvent(channel.channelId, 'ended', 1000);
    await provider.retireChannel(asRecord(channel));
    expect(await ended).not.toBeNull();
    expect(await second.exited).not.toBe(0);
    expect(await publish(server, newKey).exited).not.toBe(0);
    await provider.retireChannel(asRecord(channel)); // idempotent
    expect(provider.ingestStats(channel.channelId)).toBeNull();
  });

  it("emits 'ended' after the reconnect grace, and nothing when OBS reconnects within it", async () => {
    // The viewer from the first test would otherwise keep the live channel's counters busy.
    liveViewer?.close();
    const channel = await provider.createChannel({ sessionId: 's4', title: 'Grace', recording: false });
    secretsSeen.push(channel.streamKey.split('?key=')[1]);
    const server = channel.ingestServer;

    let started = nextEvent(channel.channelId, 'started', 10_000);
    let encoder = publish(server, channel.streamKey);
    expect(await started).not.toBeNull();

    // Drop and come back at once: the stream carries on, no 'ended', no second 'started'.
    const earlyEnd = nextEvent(channel.channelId, 'ended', GRACE_MS + 1500);
    const secondStart = nextEvent(channel.channelId, 'started', GRACE_MS + 1500);
    encoder.process.kill('SIGKILL');
    await encoder.exited;
    encoder = publish(server, channel.streamKey);
    expect(await earlyEnd).toBeNull();
    expect(await secondStart).toBeNull();
    expect(provider.ingestStats(channel.channelId)?.publishStatus).toBe('publishing');

    // Drop for good: 'ended' once the grace is over.
    const ended = nextEvent(channel.channelId, 'ended', GRACE_MS + 3000);
    encoder.process.kill('SIGKILL');
    const droppedAt = Date.now();
    await encoder.exited;
    await until(() => provider.ingestStats(channel.channelId)?.publishStatus === 'reconnecting', 2_000);
    // While the grace runs, the mentor is told the encoder disconnected (not that it is starving).
    const dropped = await provider.streamHealth(asRecord(channel));
    expect(dropped).toMatchObject({ live: false, health: 'UNKNOWN' });
    expect(dropped.warnings.join(' ')).toMatch(/^OBS has disconnected/);
    const event = await ended;
    expect(event).not.toBeNull();
    const after = Date.now() - droppedAt;
    // 'at' is when the encoder dropped, not when the grace ran out.
    expect(Math.abs(event!.at.getTime() - droppedAt)).toBeLessThan(500);
    console.info(`local provider: 'ended' ${after} ms after the encoder dropped (grace ${GRACE_MS} ms)`);
    expect(after).toBeGreaterThanOrEqual(GRACE_MS - 100);
    expect(after).toBeLessThan(GRACE_MS + 1000);
    expect((await provider.streamHealth(asRecord(channel))).live).toBe(false);

    started = nextEvent(channel.channelId, 'started', 10_000);
    publish(server, channel.streamKey);
    expect(await started).not.toBeNull();
    await provider.deleteChannel(asRecord(channel));
  });

  it('restores a channel after a restart from the stored stream key, and refuses a key it did not issue', async () => {
    const channel = await provider.createChannel({ sessionId: 's5', title: 'Restore', recording: false });
    secretsSeen.push(channel.streamKey.split('?key=')[1]);
    await provider.deleteChannel(asRecord(channel));
    expect(() => provider.restoreChannel(asRecord(channel), 'not-a-key')).toThrow(/regenerate/);
    provider.restoreChannel(asRecord(channel), channel.streamKey);
    const started = nextEvent(channel.channelId, 'started', 10_000);
    const encoder = publish(channel.ingestServer, channel.streamKey);
    expect(await started).not.toBeNull();
    encoder.process.kill('SIGKILL');
  });

  it('survives an RTMP connect that crashes a stock node-media-server (no tcUrl): that client is dropped', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect(rtmpPort, '127.0.0.1');
      socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(1536)])); // C0 + C1
      let received = 0;
      let sent = false;
      socket.on('data', (chunk) => {
        received += chunk.length;
        if (received < 1 + 2 * 1536 || sent) return; // S0 + S1 + S2
        sent = true;
        socket.write(Buffer.alloc(1536)); // C2
        // AMF0 "connect", transaction 1, an empty command object: NMS does new URL(undefined) on it.
        const payload = Buffer.from([0x02, 0x00, 0x07, ...Buffer.from('connect'), 0x00, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x03, 0x00, 0x00, 0x09]);
        socket.write(Buffer.concat([Buffer.from([0x03, 0, 0, 0, 0, 0, payload.length, 0x14, 0, 0, 0, 0]), payload]));
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(true));
      setTimeout(() => { socket.destroy(); resolve(false); }, 3000);
    });
    expect(closed).toBe(true);
    expect(logLines.some((line) => /warn Disconnected an RTMP client sending malformed data/.test(line))).toBe(true);
    // Still serving.
    expect((await provider.streamHealth(asRecord(live))).live).toBe(true);
  });

  it('never logs a stream key or a playback token', () => {
    const everything = [...logLines, ...consoleOutput].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const value of secretsSeen) expect(everything).not.toContain(value);
    expect(everything).not.toMatch(/key=|token=/);
  });
});

describe('lifecycle', () => {
  it('stops cleanly: a second and third instance in the same process start, work, and leave no listeners behind', async () => {
    await provider.stop();
    expect(listenerCounts()).toEqual(baseline);
    for (let round = 0; round < 2; round++) {
      const next = makeProvider();
      const seen: StreamEvent[] = [];
      next.onStreamEvent((e) => { seen.push(e); });
      await next.start();
      const channel = await next.createChannel({ sessionId: `r${round}`, title: 'Again', recording: false });
      const encoder = publish(channel.ingestServer, channel.streamKey);
      const deadline = Date.now() + 10_000;
      while (!seen.some((e) => e.type === 'started') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toEqual([expect.objectContaining({ channelId: channel.channelId, type: 'started' })]);
      await next.stop();
      expect(await encoder.exited).not.toBe(0);
      expect(listenerCounts()).toEqual(baseline);
    }
  });

  it('fails to start with a clear error when a port is busy, without exiting the process', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(rtmpPort, resolve));
    const blocked = makeProvider();
    await expect(blocked.start()).rejects.toThrow(new RegExp(`port ${rtmpPort} is already in use.*LOCAL_RTMP_PORT`));
    await blocked.stop();
    await new Promise((resolve) => blocker.close(resolve));

    const httpBlocker = net.createServer();
    await new Promise<void>((resolve) => httpBlocker.listen(mediaHttpPort, '127.0.0.1', resolve));
    const blockedHttp = makeProvider();
    await expect(blockedHttp.start()).rejects.toThrow(/LOCAL_MEDIA_HTTP_PORT/);
    await blockedHttp.stop();
    await new Promise((resolve) => httpBlocker.close(resolve));
    expect(listenerCounts()).toEqual(baseline);

    // Once the ports are free it starts.
    const fine = makeProvider();
    await fine.start();
    await fine.stop();
  });
});
