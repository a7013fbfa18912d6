/**
 * The real IvsClient (no mock) against a local server speaking IVS's REST-JSON protocol: proves the
 * provider's commands serialize to the paths and bodies IVS expects, and that IVS's error shape
 * (x-amzn-ErrorType header) deserializes into what the provider tolerates.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ivsProvider } from '..';
import type { LiveProvider } from '../../types';
import { CHANNEL_ARN, createChannelResponse, INGEST_ENDPOINT, KEY_PAIR_ARN, PLAYBACK_URL, playbackKeys, STREAM_KEY_ARN, STREAM_KEY_VALUE } from './fixtures';

type Received = { method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown };

let server: http.Server;
let received: Received[];
let provider: LiveProvider;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
      if (req.url === '/CreateChannel') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(createChannelResponse()));
      } else if (req.url === '/GetStream') {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ChannelNotBroadcasting', 'x-amzn-RequestId': 'req-1' });
        res.end(JSON.stringify({ exceptionMessage: 'Channel is not broadcasting' }));
      } else {
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ValidationException' });
        res.end(JSON.stringify({ exceptionMessage: `unexpected ${req.url}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  provider = ivsProvider({
    region: 'us-west-2',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    channelType: 'STANDARD',
    playbackKeyPairArn: KEY_PAIR_ARN,
    playbackPrivateKeyPem: playbackKeys().privateKeyPem,
  });
});

beforeEach(() => {
  received = [];
});

afterAll(async () => {
  await provider.stop();
  await new Promise((resolve) => server.close(resolve));
});

it('sends CreateChannel as a signed POST /CreateChannel with the JSON IVS expects', async () => {
  const created = await provider.createChannel({ sessionId: 's1', title: 'Intro', recording: true });

  expect(received).toHaveLength(1);
  const [request] = received;
  expect(request.method).toBe('POST');
  expect(request.path).toBe('/CreateChannel');
  expect(request.headers['content-type']).toBe('application/json');
  expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/ivs\/aws4_request/);
  expect(request.body).toEqual({
    name: 'skillyug-s1',
    latencyMode: 'LOW',
    type: 'STANDARD',
    authorized: true,
    recordingConfigurationArn: '', // recording on, but no recording configuration set up
    insecureIngest: false,
    tags: { app: 'skillyug', session: 's1' },
  });
  expect(created).toEqual({
    provider: 'ivs',
    channelId: CHANNEL_ARN,
    ingestServer: `rtmps://${INGEST_ENDPOINT}:443/app/`,
    playbackUrl: PLAYBACK_URL,
    streamKeyRef: STREAM_KEY_ARN,
    streamKey: STREAM_KEY_VALUE,
  });
});

it('reads a 404 ChannelNotBroadcasting from POST /GetStream as an offline channel', async () => {
  const health = await provider.streamHealth({ provider: 'ivs', channelId: CHANNEL_ARN, ingestServer: '', playbackUrl: PLAYBACK_URL, streamKeyRef: STREAM_KEY_ARN });

  expect(received.map((r) => [r.method, r.path, r.body])).toEqual([['POST', '/GetStream', { channelArn: CHANNEL_ARN }]]);
  expect(health).toMatchObject({ live: false, health: 'UNKNOWN', warnings: [] });
});

it('turns an IVS error it does not tolerate into a LiveProviderError with IVS’s message', async () => {
  await expect(
    provider.retireChannel({ provider: 'ivs', channelId: CHANNEL_ARN, ingestServer: '', playbackUrl: '', streamKeyRef: null })
  ).rejects.toMatchObject({ name: 'LiveProviderError', status: 502, code: 'ValidationException', message: 'Amazon IVS rejected the request (StopStream): unexpected /StopStream' });
});

it('says Amazon IVS could not be reached when nothing answers', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve)); // the port is now refused

  const unreachable = ivsProvider({
    region: 'us-west-2',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    channelType: 'STANDARD',
  });
  try {
    await expect(
      unreachable.streamHealth({ provider: 'ivs', channelId: CHANNEL_ARN, ingestServer: '', playbackUrl: '', streamKeyRef: null })
    ).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/^Amazon IVS could not be reached/) });
  } finally {
    await unreachable.stop();
  }
});
