import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Amazon IVS control plane, speaking its REST-JSON protocol (POST
 * /<Operation>, JSON bodies, errors as `x-amzn-ErrorType` + `{ message }`), with the response
 * shapes of AWS's API reference. The real @aws-sdk/client-ivs talks to it through IVS_ENDPOINT.
 * `goLive`/`goOffline` play the encoder's part.
 */
export type IvsRequest = { operation: string; body: any; /** Unix ms received. */ at: number };

const REGION = 'us-west-2';
const ACCOUNT = '123456789012';

export async function startIvsDouble() {
  const requests: IvsRequest[] = [];
  const channels = new Map<string, any>();
  const keys = new Map<string, { arn: string; value: string; channelArn: string }>();
  const live = new Map<string, { streamId: string; startTime: string }>();
  /** When each channel's recent PutMetadata calls were accepted (IVS allows 5 per second). */
  const metadataTimes = new Map<string, number[]>();
  /** PutMetadata calls refused for the rate. */
  const throttled: any[] = [];
  /** Errors to answer the next calls of an operation with, as IVS would (throttling, quota, access). */
  const failures = new Map<string, { status: number; type: string; message: string }[]>();

  const fail = (res: http.ServerResponse, status: number, type: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-ErrorType': type, 'x-amzn-RequestId': crypto.randomUUID() });
    res.end(JSON.stringify({ message }));
  };
  const ok = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': crypto.randomUUID() });
    res.end(JSON.stringify(body));
  };
  const newKey = (channelArn: string) => {
    const id = crypto.randomBytes(6).toString('hex');
    const key = { arn: `arn:aws:ivs:${REGION}:${ACCOUNT}:stream-key/${id}`, value: `sk_${REGION}_${crypto.randomBytes(18).toString('base64url')}`, channelArn };
    keys.set(key.arn, key);
    return key;
  };

  const handlers: Record<string, (body: any, res: http.ServerResponse) => void> = {
    CreateChannel(body, res) {
      const id = crypto.randomBytes(6).toString('hex');
      const arn = `arn:aws:ivs:${REGION}:${ACCOUNT}:channel/${id}`;
      const channel = {
        arn,
        name: body.name,
        latencyMode: body.latencyMode ?? 'LOW',
        type: body.type ?? 'STANDARD',
        authorized: Boolean(body.authorized),
        recordingConfigurationArn: body.recordingConfigurationArn ?? '',
        ingestEndpoint: 'a1b2c3d4e5f6.global-contribute.live-video.net',
        playbackUrl: `https://a1b2c3d4e5f6.${REGION}.playback.live-video.net/api/video/v1/${REGION}.${ACCOUNT}.channel.${id}.m3u8`,
        insecureIngest: false,
        tags: body.tags ?? {},
      };
      channels.set(arn, channel);
      const { value, arn: keyArn } = newKey(arn);
      ok(res, { channel, streamKey: { arn: keyArn, value, channelArn: arn, tags: {} } });
    },
    DeleteChannel(body, res) {
      if (!channels.delete(body.arn)) return fail(res, 404, 'ResourceNotFoundException', 'Channel not found');
      for (const [arn, key] of keys) if (key.channelArn === body.arn) keys.delete(arn);
      res.writeHead(204).end();
    },
    UpdateChannel(body, res) {
      const channel = channels.get(body.arn);
      if (!channel) return fail(res, 404, 'ResourceNotFoundException', 'Channel not found');
      if (live.has(body.arn)) return fail(res, 409, 'ConflictException', 'Channel is live');
      if (body.recordingConfigurationArn !== undefined) channel.recordingConfigurationArn = body.recordingConfigurationArn;
      ok(res, { channel });
    },
    CreateStreamKey(body, res) {
      if (!channels.has(body.channelArn)) return fail(res, 404, 'ResourceNotFoundException', 'Channel not found');
      const key = newKey(body.channelArn);
      ok(res, { streamKey: { ...key, tags: {} } });
    },
    DeleteStreamKey(body, res) {
      if (!keys.delete(body.arn)) return fail(res, 404, 'ResourceNotFoundException', 'Stream key not found');
      res.writeHead(204).end();
    },
    ListStreamKeys(body, res) {
      ok(res, { streamKeys: [...keys.values()].filter((k) => k.channelArn === body.channelArn).map(({ arn, channelArn }) => ({ arn, channelArn, tags: {} })) });
    },
    GetStream(body, res) {
      const stream = live.get(body.channelArn);
      if (!stream) return fail(res, 404, 'ChannelNotBroadcasting', 'Channel is not broadcasting');
      ok(res, {
        stream: { channelArn: body.channelArn, streamId: stream.streamId, playbackUrl: channels.get(body.channelArn)?.playbackUrl, startTime: stream.startTime, state: 'LIVE', health: 'HEALTHY', viewerCount: 3 },
      });
    },
    GetStreamSession(body, res) {
      const stream = live.get(body.channelArn);
      if (!stream) return fail(res, 404, 'ResourceNotFoundException', 'Stream session not found');
      ok(res, {
        streamSession: {
          streamId: stream.streamId,
          startTime: stream.startTime,
          channel: channels.get(body.channelArn),
          ingestConfiguration: {
            video: { avcProfile: 'Main', avcLevel: '4.1', codec: 'avc1.4D4029', encoder: 'obs-output module (libobs version 30.0.0)', targetBitrate: 3_500_000, targetFramerate: 30, videoHeight: 720, videoWidth: 1280 },
            audio: { channels: 2, codec: 'mp4a.40.2', sampleRate: 48000, targetBitrate: 160_000 },
          },
          truncatedEvents: [{ name: 'Session Created', type: 'IVS Stream State Change', eventTime: stream.startTime }],
        },
      });
    },
    // Timed metadata: ≤ 1 KB of UTF-8, only while the channel broadcasts, 5 per second per channel.
    PutMetadata(body, res) {
      if (!channels.has(body.channelArn)) return fail(res, 404, 'ResourceNotFoundException', 'Channel not found');
      if (!live.has(body.channelArn)) return fail(res, 404, 'ChannelNotBroadcasting', 'Channel is not broadcasting');
      if (typeof body.metadata !== 'string' || Buffer.byteLength(body.metadata) > 1024) return fail(res, 400, 'ValidationException', 'metadata must be at most 1 KB');
      const now = Date.now();
      const recent = (metadataTimes.get(body.channelArn) ?? []).filter((t) => now - t < 1000);
      if (recent.length >= 5) {
        throttled.push(body);
        return fail(res, 429, 'ThrottlingException', 'Rate exceeded');
      }
      metadataTimes.set(body.channelArn, [...recent, now]);
      ok(res, {});
    },
    StopStream(body, res) {
      if (!live.delete(body.channelArn)) return fail(res, 404, 'ChannelNotBroadcasting', 'Channel is not broadcasting');
      ok(res, {});
    },
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const operation = (req.url ?? '').replace(/^\//, '').split('?')[0];
      let body: any = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return fail(res, 400, 'ValidationException', 'body is not JSON');
      }
      requests.push({ operation, body, at: Date.now() });
      const failure = failures.get(operation)?.shift();
      if (failure) return fail(res, failure.status, failure.type, failure.message);
      const handler = handlers[operation];
      if (!handler) return fail(res, 400, 'ValidationException', `unsupported operation ${operation}`);
      handler(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    throttled,
    channels,
    keys,
    calls: (operation: string) => requests.filter((r) => r.operation === operation).map((r) => r.body),
    goLive(channelArn: string) {
      const stream = { streamId: `st-${crypto.randomBytes(8).toString('hex')}`, startTime: new Date().toISOString() };
      live.set(channelArn, stream);
      return stream;
    },
    failNext(operation: string, status: number, type: string, message: string) {
      failures.set(operation, [...(failures.get(operation) ?? []), { status, type, message }]);
    },
    goOffline(channelArn: string) {
      live.delete(channelArn);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type IvsDouble = Awaited<ReturnType<typeof startIvsDouble>>;
