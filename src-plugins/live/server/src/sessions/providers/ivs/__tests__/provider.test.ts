import {
  ChannelNotBroadcasting,
  CreateChannelCommand,
  CreateStreamKeyCommand,
  DeleteChannelCommand,
  DeleteStreamKeyCommand,
  GetStreamCommand,
  GetStreamSessionCommand,
  IvsClient,
  ListStreamKeysCommand,
  ResourceNotFoundException,
  StopStreamCommand,
} from '@aws-sdk/client-ivs';
import { mockClient } from 'aws-sdk-client-mock';
import { LiveProviderError, type ChannelRecord } from '../../types';
import { ivsProvider, type IvsProviderOptions } from '..';
import {
  CHANNEL_ARN,
  createChannelResponse,
  INGEST_ENDPOINT,
  KEY_PAIR_ARN,
  NEW_STREAM_KEY_ARN,
  NEW_STREAM_KEY_VALUE,
  PLAYBACK_URL,
  playbackKeys,
  RECORDING_CONFIGURATION_ARN,
  recordingLogger,
  sdkError,
  STREAM_ID,
  STREAM_KEY_ARN,
  STREAM_KEY_VALUE,
} from './fixtures';

const keys = playbackKeys();
const client = new IvsClient({ region: 'us-west-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const ivs = mockClient(client);
let log: ReturnType<typeof recordingLogger>;

const channel: ChannelRecord = {
  provider: 'ivs',
  channelId: CHANNEL_ARN,
  ingestServer: `rtmps://${INGEST_ENDPOINT}:443/app/`,
  playbackUrl: PLAYBACK_URL,
  streamKeyRef: STREAM_KEY_ARN,
};

function provider(overrides: Partial<IvsProviderOptions> = {}) {
  return ivsProvider({
    region: 'us-west-2',
    channelType: 'STANDARD',
    playbackKeyPairArn: KEY_PAIR_ARN,
    playbackPrivateKeyPem: keys.privateKeyPem,
    recordingConfigurationArn: RECORDING_CONFIGURATION_ARN,
    client,
    logger: log.logger,
    ...overrides,
  });
}

beforeEach(() => {
  ivs.reset();
  log = recordingLogger();
});

/** No stream key, private key or credential may ever reach a log line. */
afterEach(() => {
  const all = log.lines.join('\n');
  for (const secret of [STREAM_KEY_VALUE, NEW_STREAM_KEY_VALUE, 'secret', 'PRIVATE KEY']) expect(all).not.toContain(secret);
});

describe('createChannel', () => {
  it('creates a private, low-latency channel of the configured type and hands back what OBS needs', async () => {
    ivs.on(CreateChannelCommand).resolves(createChannelResponse());

    const created = await provider({ channelType: 'ADVANCED_HD' }).createChannel({ sessionId: 's1', title: 'Intro', recording: false });

    expect(ivs.commandCalls(CreateChannelCommand)[0].args[0].input).toEqual({
      name: 'skillyug-s1',
      latencyMode: 'LOW',
      type: 'ADVANCED_HD',
      authorized: true,
      recordingConfigurationArn: '',
      insecureIngest: false,
      tags: { app: 'skillyug', session: 's1' },
    });
    expect(created).toEqual({
      provider: 'ivs',
      channelId: CHANNEL_ARN,
      ingestServer: 'rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/',
      playbackUrl: PLAYBACK_URL,
      streamKeyRef: STREAM_KEY_ARN,
      streamKey: STREAM_KEY_VALUE,
    });
    expect(ivs.calls()).toHaveLength(1);
  });

  it('attaches the recording configuration only when the session records', async () => {
    ivs.on(CreateChannelCommand).resolves(createChannelResponse({ recordingConfigurationArn: RECORDING_CONFIGURATION_ARN }));
    await provider().createChannel({ sessionId: 's1', title: 'Intro', recording: true });
    expect(ivs.commandCalls(CreateChannelCommand)[0].args[0].input.recordingConfigurationArn).toBe(RECORDING_CONFIGURATION_ARN);

    await provider({ recordingConfigurationArn: undefined }).createChannel({ sessionId: 's2', title: 'Intro', recording: true });
    expect(ivs.commandCalls(CreateChannelCommand)[1].args[0].input.recordingConfigurationArn).toBe('');
  });

  it('makes the channel name fit IVS rules, with the configured prefix', async () => {
    ivs.on(CreateChannelCommand).resolves(createChannelResponse());
    await provider({ namePrefix: 'acme' }).createChannel({ sessionId: 'a b/c.d' + 'x'.repeat(200), title: 't', recording: false });
    const name = ivs.commandCalls(CreateChannelCommand)[0].args[0].input.name!;
    expect(name).toMatch(/^acme-a-b-c-dx+$/);
    expect(name).toHaveLength(128);
  });

  it('refuses up front, naming the setup, when no playback key pair is configured', async () => {
    for (const missing of [{ playbackKeyPairArn: undefined }, { playbackPrivateKeyPem: undefined }]) {
      const attempt = provider(missing).createChannel({ sessionId: 's1', title: 't', recording: false });
      await expect(attempt).rejects.toThrow(LiveProviderError);
      await expect(attempt).rejects.toThrow(/IVS_PLAYBACK_KEY_PAIR_ARN.*IVS_PLAYBACK_PRIVATE_KEY.*npm run live:ivs-setup/);
    }
    expect(ivs.calls()).toHaveLength(0);
  });

  it('creates a stream key when CreateChannel returned none', async () => {
    ivs.on(CreateChannelCommand).resolves(createChannelResponse({ withStreamKey: false }));
    ivs.on(CreateStreamKeyCommand).resolves({ streamKey: { arn: NEW_STREAM_KEY_ARN, value: NEW_STREAM_KEY_VALUE, channelArn: CHANNEL_ARN } });

    const created = await provider().createChannel({ sessionId: 's1', title: 't', recording: false });

    expect(ivs.commandCalls(CreateStreamKeyCommand)[0].args[0].input).toEqual({ channelArn: CHANNEL_ARN });
    expect(created).toMatchObject({ streamKeyRef: NEW_STREAM_KEY_ARN, streamKey: NEW_STREAM_KEY_VALUE });
    expect(ivs.commandCalls(DeleteChannelCommand)).toHaveLength(0);
  });

  it('deletes the half-created channel when the stream key cannot be made', async () => {
    ivs.on(CreateChannelCommand).resolves(createChannelResponse({ withStreamKey: false }));
    ivs.on(CreateStreamKeyCommand).rejects(sdkError('ServiceQuotaExceededException', 'Stream key quota exceeded', 402));
    ivs.on(DeleteChannelCommand).resolves({});

    const attempt = provider().createChannel({ sessionId: 's1', title: 't', recording: false });

    await expect(attempt).rejects.toMatchObject({ name: 'LiveProviderError', status: 409, code: 'ServiceQuotaExceededException' });
    expect(ivs.commandCalls(DeleteChannelCommand).map((c) => c.args[0].input)).toEqual([{ arn: CHANNEL_ARN }]);
  });

  it('still reports the original failure when the cleanup fails too, and says so in the log', async () => {
    ivs.on(CreateChannelCommand).resolves(createChannelResponse({ withStreamKey: false }));
    ivs.on(CreateStreamKeyCommand).rejects(sdkError('ThrottlingException', 'Rate exceeded', 429));
    ivs.on(DeleteChannelCommand).rejects(sdkError('InternalServerException', 'boom', 500));

    await expect(provider().createChannel({ sessionId: 's1', title: 't', recording: false })).rejects.toMatchObject({
      status: 503,
      message: 'Amazon IVS is throttling requests; try again in a few seconds',
    });
    expect(log.lines.some((l) => l.startsWith('error') && l.includes(CHANNEL_ARN))).toBe(true);
  });

  it('turns a throttled CreateChannel into a 503 the mentor can act on', async () => {
    ivs.on(CreateChannelCommand).rejects(sdkError('ThrottlingException', 'Rate exceeded', 429));
    await expect(provider().createChannel({ sessionId: 's1', title: 't', recording: false })).rejects.toMatchObject({
      status: 503,
      code: 'ThrottlingException',
      message: 'Amazon IVS is throttling requests; try again in a few seconds',
    });
    expect(ivs.commandCalls(DeleteChannelCommand)).toHaveLength(0);
  });

  it('names the missing IAM permission when access is denied', async () => {
    ivs.on(CreateChannelCommand).rejects(sdkError('AccessDeniedException', 'User is not authorized', 403));
    await expect(provider().createChannel({ sessionId: 's1', title: 't', recording: false })).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('ivs:CreateChannel'),
    });
  });
});

describe('deleteChannel', () => {
  it('deletes the channel by ARN', async () => {
    ivs.on(DeleteChannelCommand).resolves({});
    await provider().deleteChannel(channel);
    expect(ivs.commandCalls(DeleteChannelCommand)[0].args[0].input).toEqual({ arn: CHANNEL_ARN });
  });

  it('treats a channel that is already gone as deleted', async () => {
    ivs.on(DeleteChannelCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 404 } }));
    await expect(provider().deleteChannel(channel)).resolves.toBeUndefined();
  });

  it('reports a channel that is live (ConflictException) as a 409', async () => {
    ivs.on(DeleteChannelCommand).rejects(sdkError('ConflictException', 'Channel is live', 409));
    await expect(provider().deleteChannel(channel)).rejects.toMatchObject({ status: 409, code: 'ConflictException' });
  });
});

describe('regenerateStreamKey', () => {
  it('deletes every existing key of the channel, then creates one', async () => {
    ivs.on(ListStreamKeysCommand).resolves({ streamKeys: [{ arn: STREAM_KEY_ARN, channelArn: CHANNEL_ARN }] });
    ivs.on(DeleteStreamKeyCommand).resolves({});
    ivs.on(CreateStreamKeyCommand).resolves({ streamKey: { arn: NEW_STREAM_KEY_ARN, value: NEW_STREAM_KEY_VALUE, channelArn: CHANNEL_ARN } });

    const result = await provider().regenerateStreamKey(channel);

    expect(result).toEqual({ streamKey: NEW_STREAM_KEY_VALUE, streamKeyRef: NEW_STREAM_KEY_ARN });
    expect(ivs.commandCalls(ListStreamKeysCommand)[0].args[0].input).toEqual({ channelArn: CHANNEL_ARN });
    expect(ivs.commandCalls(DeleteStreamKeyCommand).map((c) => c.args[0].input)).toEqual([{ arn: STREAM_KEY_ARN }]);
    expect(ivs.commandCalls(CreateStreamKeyCommand)[0].args[0].input).toEqual({ channelArn: CHANNEL_ARN });
    // The old key is gone before the new one is asked for (one key per channel by default).
    const order = ivs.calls().map((c) => c.args[0].constructor.name);
    expect(order).toEqual(['ListStreamKeysCommand', 'DeleteStreamKeyCommand', 'CreateStreamKeyCommand']);
  });

  it('deletes a key the stored ref does not know about (e.g. made in the console), across pages', async () => {
    ivs
      .on(ListStreamKeysCommand)
      .resolvesOnce({ streamKeys: [{ arn: STREAM_KEY_ARN }], nextToken: 'page2' })
      .resolvesOnce({ streamKeys: [{ arn: NEW_STREAM_KEY_ARN }] });
    ivs.on(DeleteStreamKeyCommand, { arn: NEW_STREAM_KEY_ARN }).rejects(sdkError('ResourceNotFoundException', 'gone', 404));
    ivs.on(CreateStreamKeyCommand).resolves({ streamKey: { arn: 'arn:aws:ivs:us-west-2:123456789012:stream-key/z', value: 'sk_us-west-2_z' } });

    await provider().regenerateStreamKey({ ...channel, streamKeyRef: null });

    expect(ivs.commandCalls(ListStreamKeysCommand).map((c) => c.args[0].input)).toEqual([
      { channelArn: CHANNEL_ARN, nextToken: undefined },
      { channelArn: CHANNEL_ARN, nextToken: 'page2' },
    ]);
    expect(ivs.commandCalls(DeleteStreamKeyCommand).map((c) => c.args[0].input)).toEqual([{ arn: STREAM_KEY_ARN }, { arn: NEW_STREAM_KEY_ARN }]);
  });

  it('does not create a key when the old one could not be deleted', async () => {
    ivs.on(ListStreamKeysCommand).resolves({ streamKeys: [{ arn: STREAM_KEY_ARN }] });
    ivs.on(DeleteStreamKeyCommand).rejects(sdkError('AccessDeniedException', 'denied', 403));
    await expect(provider().regenerateStreamKey(channel)).rejects.toMatchObject({ message: expect.stringContaining('ivs:DeleteStreamKey') });
    expect(ivs.commandCalls(CreateStreamKeyCommand)).toHaveLength(0);
  });
});

describe('retireChannel', () => {
  it('stops the stream and deletes the key, keeping the channel for late recording events', async () => {
    ivs.on(StopStreamCommand).resolves({});
    ivs.on(ListStreamKeysCommand).resolves({ streamKeys: [{ arn: STREAM_KEY_ARN }] });
    ivs.on(DeleteStreamKeyCommand).resolves({});

    await provider().retireChannel(channel);

    expect(ivs.commandCalls(StopStreamCommand)[0].args[0].input).toEqual({ channelArn: CHANNEL_ARN });
    expect(ivs.commandCalls(DeleteStreamKeyCommand)[0].args[0].input).toEqual({ arn: STREAM_KEY_ARN });
    expect(ivs.commandCalls(DeleteChannelCommand)).toHaveLength(0);
  });

  it('is fine when nobody is streaming, and when run twice', async () => {
    ivs.on(StopStreamCommand).rejects(new ChannelNotBroadcasting({ message: 'Channel is not broadcasting', $metadata: { httpStatusCode: 404 } }));
    ivs.on(ListStreamKeysCommand).resolvesOnce({ streamKeys: [{ arn: STREAM_KEY_ARN }] }).resolves({ streamKeys: [] });
    ivs.on(DeleteStreamKeyCommand).resolves({});

    const p = provider();
    await p.retireChannel(channel);
    await p.retireChannel(channel);
    expect(ivs.commandCalls(DeleteStreamKeyCommand)).toHaveLength(1);
  });

  it('tolerates StreamUnavailable from StopStream', async () => {
    ivs.on(StopStreamCommand).rejects(sdkError('StreamUnavailable', 'The stream is temporarily unavailable', 503));
    ivs.on(ListStreamKeysCommand).resolves({ streamKeys: [] });
    await expect(provider().retireChannel(channel)).resolves.toBeUndefined();
    expect(ivs.commandCalls(ListStreamKeysCommand)).toHaveLength(1);
  });

  it('reports a throttled StopStream instead of pretending the stream stopped', async () => {
    ivs.on(StopStreamCommand).rejects(sdkError('ThrottlingException', 'Rate exceeded', 429));
    await expect(provider().retireChannel(channel)).rejects.toMatchObject({ status: 503 });
    expect(ivs.commandCalls(ListStreamKeysCommand)).toHaveLength(0);
  });
});

describe('streamHealth', () => {
  const liveStream = {
    stream: {
      channelArn: CHANNEL_ARN,
      streamId: STREAM_ID,
      playbackUrl: PLAYBACK_URL,
      startTime: new Date('2024-05-01T10:00:00Z'),
      state: 'LIVE' as const,
      health: 'HEALTHY' as const,
      viewerCount: 42,
    },
  };
  const session = (video: Record<string, unknown>, events: Array<{ name: string; type: string; eventTime: Date }> = []) => ({
    streamSession: {
      streamId: STREAM_ID,
      startTime: new Date('2024-05-01T10:00:00Z'),
      channel: { arn: CHANNEL_ARN, type: 'STANDARD' as const },
      ingestConfiguration: {
        video: { avcProfile: 'Baseline', avcLevel: '4.2', codec: 'avc1.42C02A', encoder: 'Lavf58.45.100', ...video },
        audio: { channels: 2, codec: 'mp4a.40.2', sampleRate: 8000, targetBitrate: 46875 },
      },
      truncatedEvents: events,
    },
  });

  it('reports an offline channel when IVS says it is not broadcasting', async () => {
    ivs.on(GetStreamCommand).rejects(new ChannelNotBroadcasting({ message: 'Channel is not broadcasting', $metadata: { httpStatusCode: 404 } }));
    await expect(provider().streamHealth(channel)).resolves.toEqual({
      live: false,
      health: 'UNKNOWN',
      startedAt: null,
      viewerCount: null,
      bitrateKbps: null,
      fps: null,
      keyframeIntervalSeconds: null,
      warnings: [],
    });
    expect(ivs.commandCalls(GetStreamCommand)[0].args[0].input).toEqual({ channelArn: CHANNEL_ARN });
    expect(ivs.commandCalls(GetStreamSessionCommand)).toHaveLength(0);
  });

  it('combines GetStream with the session’s encoder settings', async () => {
    ivs.on(GetStreamCommand).resolves(liveStream);
    ivs.on(GetStreamSessionCommand).resolves(session({ targetBitrate: 3_500_000, targetFramerate: 30, videoHeight: 1080, videoWidth: 1920 }));

    const health = await provider().streamHealth(channel);

    expect(ivs.commandCalls(GetStreamSessionCommand)[0].args[0].input).toEqual({ channelArn: CHANNEL_ARN, streamId: STREAM_ID });
    expect(health).toEqual({
      live: true,
      health: 'HEALTHY',
      startedAt: '2024-05-01T10:00:00.000Z',
      viewerCount: 42,
      bitrateKbps: 3500,
      fps: 30,
      keyframeIntervalSeconds: null, // IVS's API does not report it
      warnings: [],
    });
  });

  it('warns when OBS sends more than the channel type accepts, and about starvation', async () => {
    ivs.on(GetStreamCommand).resolves({ stream: { ...liveStream.stream, health: 'STARVING' } });
    ivs.on(GetStreamSessionCommand).resolves(session({ targetBitrate: 10_000_000, targetFramerate: 30, videoHeight: 1080 }));

    const health = await provider().streamHealth(channel);

    expect(health.health).toBe('STARVING');
    expect(health.warnings).toEqual([
      'IVS is receiving too little data: check your upload bandwidth',
      expect.stringMatching(/^OBS sends 10\.0 Mbps but this IVS channel \(STANDARD\) accepts at most 8\.5 Mbps/),
    ]);
  });

  it('warns about starvation IVS recorded in the session even when GetStream looks healthy', async () => {
    ivs.on(GetStreamCommand).resolves(liveStream);
    ivs.on(GetStreamSessionCommand).resolves(
      session({ targetBitrate: 2_000_000 }, [
        { name: 'Starvation End', type: 'IVS Stream Health Change', eventTime: new Date('2024-05-01T10:01:00Z') },
        { name: 'Starvation Start', type: 'IVS Stream Health Change', eventTime: new Date('2024-05-01T10:05:00Z') },
        { name: 'Stream Start', type: 'IVS Stream State Change', eventTime: new Date('2024-05-01T10:00:05Z') },
      ])
    );
    expect((await provider().streamHealth(channel)).warnings).toEqual(['IVS is receiving too little data: check your upload bandwidth']);
  });

  it('uses the BASIC channel limits (1.5 Mbps at 480p)', async () => {
    ivs.on(GetStreamCommand).resolves(liveStream);
    ivs.on(GetStreamSessionCommand).resolves({
      streamSession: { ...session({ targetBitrate: 2_500_000, videoHeight: 480 }).streamSession, channel: { arn: CHANNEL_ARN, type: 'BASIC' } },
    });
    expect((await provider().streamHealth(channel)).warnings).toEqual([
      expect.stringMatching(/^OBS sends 2\.5 Mbps but this IVS channel \(BASIC\) accepts at most 1\.5 Mbps/),
    ]);
  });

  it('returns what GetStream said when GetStreamSession fails', async () => {
    ivs.on(GetStreamCommand).resolves(liveStream);
    ivs.on(GetStreamSessionCommand).rejects(sdkError('ThrottlingException', 'Rate exceeded', 429));

    await expect(provider().streamHealth(channel)).resolves.toEqual({
      live: true,
      health: 'HEALTHY',
      startedAt: '2024-05-01T10:00:00.000Z',
      viewerCount: 42,
      bitrateKbps: null,
      fps: null,
      keyframeIntervalSeconds: null,
      warnings: [],
    });
    expect(log.lines.some((l) => l.startsWith('warn') && l.includes('GetStreamSession'))).toBe(true);
  });

  it('fails with a mentor-readable error when IVS cannot be reached', async () => {
    ivs.on(GetStreamCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 1.2.3.4:443'), { code: 'ECONNREFUSED' }));
    await expect(provider().streamHealth(channel)).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/^Amazon IVS could not be reached/),
    });
  });
});

describe('the rest of the interface', () => {
  it('never emits stream events itself (they come through the EventBridge webhook)', async () => {
    const listener = jest.fn();
    const p = provider();
    p.onStreamEvent(listener);
    await p.start();
    ivs.on(CreateChannelCommand).resolves(createChannelResponse());
    await p.createChannel({ sessionId: 's1', title: 't', recording: false });
    p.restoreChannel(channel, 'sk_anything');
    await p.stop();
    expect(listener).not.toHaveBeenCalled();
    expect(ivs.calls()).toHaveLength(1); // restore and start/stop sent nothing
  });
});
