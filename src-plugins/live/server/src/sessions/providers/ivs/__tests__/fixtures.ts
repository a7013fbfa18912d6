/** Shapes copied from the Amazon IVS API reference examples (CreateChannel, GetStream, GetStreamSession). */
import { generateKeyPairSync } from 'node:crypto';

export const CHANNEL_ARN = 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh';
export const STREAM_KEY_ARN = 'arn:aws:ivs:us-west-2:123456789012:stream-key/g1H2I3j4k5L6';
export const STREAM_KEY_VALUE = 'sk_us-west-2_abcdABCDefgh_567890abcdef';
export const NEW_STREAM_KEY_ARN = 'arn:aws:ivs:us-west-2:123456789012:stream-key/m7N8o9P0q1R2';
export const NEW_STREAM_KEY_VALUE = 'sk_us-west-2_abcdABCDefgh_1234567890ab';
export const INGEST_ENDPOINT = 'a1b2c3d4e5f6.global-contribute.live-video.net';
export const PLAYBACK_URL =
  'https://a1b2c3d4e5f6.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.abcdABCDefgh.m3u8';
export const KEY_PAIR_ARN = 'arn:aws:ivs:us-west-2:123456789012:playback-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a';
export const RECORDING_CONFIGURATION_ARN = 'arn:aws:ivs:us-west-2:123456789012:recording-configuration/ABcdef34ghIJ';
export const STREAM_ID = 'st-1A2b3c4D5e6F78ghij9Klmn';

export function createChannelResponse(overrides: { withStreamKey?: boolean; recordingConfigurationArn?: string } = {}) {
  return {
    channel: {
      arn: CHANNEL_ARN,
      name: 'skillyug-s1',
      latencyMode: 'LOW' as const,
      type: 'STANDARD' as const,
      authorized: true,
      insecureIngest: false,
      recordingConfigurationArn: overrides.recordingConfigurationArn ?? '',
      ingestEndpoint: INGEST_ENDPOINT,
      playbackUrl: PLAYBACK_URL,
      tags: { app: 'skillyug', session: 's1' },
    },
    ...(overrides.withStreamKey === false
      ? {}
      : { streamKey: { arn: STREAM_KEY_ARN, value: STREAM_KEY_VALUE, channelArn: CHANNEL_ARN, tags: {} } }),
  };
}

/** An SDK-shaped service error, as the REST-JSON deserializer builds it. */
export function sdkError(name: string, message: string, httpStatusCode: number) {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: 'req-123' },
  });
}

/** A P-384 key pair like `npm run live:ivs-setup` makes. */
export function playbackKeys() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'secp384r1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Collects log lines so tests can check that no secret reaches them. */
export function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { lines, logger: { info: log('info'), warn: log('warn'), error: log('error') } };
}
