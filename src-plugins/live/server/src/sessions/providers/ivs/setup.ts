import { CreateRecordingConfigurationCommand, ImportPlaybackKeyPairCommand, type CreateRecordingConfigurationCommandInput, type IvsClient } from '@aws-sdk/client-ivs';
import { generateKeyPairSync } from 'node:crypto';
import { toLiveProviderError } from './errors';

/**
 * A fresh ECDSA P-384 key pair for private-channel playback. IVS keeps only the public half
 * (ImportPlaybackKeyPair); the private half stays with us and signs playback tokens.
 */
export function createPlaybackKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'secp384r1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Makes a key pair, imports its public key into IVS, and returns what goes into .env. */
export async function importPlaybackKeyPair(client: IvsClient, name: string): Promise<{ arn: string; privateKeyPem: string }> {
  const { publicKeyPem, privateKeyPem } = createPlaybackKeyPair();
  let arn: string | undefined;
  try {
    const result = await client.send(
      new ImportPlaybackKeyPairCommand({ name, publicKeyMaterial: publicKeyPem, tags: { app: 'skillyug' } })
    );
    arn = result.keyPair?.arn;
  } catch (error) {
    throw toLiveProviderError(error, 'ImportPlaybackKeyPair');
  }
  if (!arn) throw new Error('Amazon IVS imported the key pair but returned no ARN');
  return { arn, privateKeyPem };
}

/** What the recording configuration asks of IVS (see docs/live.md, "Recordings on Amazon IVS"). */
export type RecordingConfigurationOptions = {
  name: string;
  /** The S3 bucket IVS records into; it must be in the channels' region. */
  bucketName: string;
  /** A broadcast that drops and comes back within this is one recording (0–300; match LIVE_RECONNECT_GRACE_SECONDS). */
  reconnectWindowSeconds: number;
  /** A thumbnail every this many seconds (1–60): the recording's poster and strip. */
  thumbnailIntervalSeconds: number;
};

export function recordingConfigurationInput(options: RecordingConfigurationOptions): CreateRecordingConfigurationCommandInput {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucketName)) throw new Error(`"${options.bucketName}" is not an S3 bucket name`);
  const reconnect = Math.round(options.reconnectWindowSeconds);
  if (!(reconnect >= 0 && reconnect <= 300)) throw new Error('The reconnect window must be 0–300 seconds');
  const interval = Math.round(options.thumbnailIntervalSeconds);
  if (!(interval >= 1 && interval <= 60)) throw new Error('The thumbnail interval must be 1–60 seconds');
  return {
    name: options.name,
    destinationConfiguration: { s3: { bucketName: options.bucketName } },
    recordingReconnectWindowSeconds: reconnect,
    // SEQUENTIAL: the strip (media/thumbnails/); LATEST: media/latest_thumbnail/thumb.jpg, the poster.
    thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: interval, storage: ['SEQUENTIAL', 'LATEST'] },
    renditionConfiguration: { renditionSelection: 'ALL' },
    tags: { app: 'skillyug' },
  };
}

/** Creates the recording configuration channels of recorded classes get; its ARN is IVS_RECORDING_CONFIGURATION_ARN. */
export async function createRecordingConfiguration(client: IvsClient, options: RecordingConfigurationOptions): Promise<{ arn: string; state: string }> {
  let result;
  try {
    result = await client.send(new CreateRecordingConfigurationCommand(recordingConfigurationInput(options)));
  } catch (error) {
    throw toLiveProviderError(error, 'CreateRecordingConfiguration');
  }
  const arn = result.recordingConfiguration?.arn;
  if (!arn) throw new Error('Amazon IVS created the recording configuration but returned no ARN');
  return { arn, state: result.recordingConfiguration?.state ?? 'CREATING' };
}
