import { createPublicKey, createPrivateKey, sign, verify } from 'node:crypto';
import { CreateRecordingConfigurationCommand, ImportPlaybackKeyPairCommand, IvsClient } from '@aws-sdk/client-ivs';
import { mockClient } from 'aws-sdk-client-mock';
import { createPlaybackKeyPair, createRecordingConfiguration, importPlaybackKeyPair, recordingConfigurationInput } from '..';
import { KEY_PAIR_ARN, sdkError } from './fixtures';

const client = new IvsClient({ region: 'us-west-2' });
const ivs = mockClient(client);
beforeEach(() => ivs.reset());

describe('createPlaybackKeyPair', () => {
  it('makes a matching ECDSA P-384 pair in PEM', () => {
    const { publicKeyPem, privateKeyPem } = createPlaybackKeyPair();
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(createPublicKey(publicKeyPem).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    const signature = sign('sha384', Buffer.from('x'), { key: createPrivateKey(privateKeyPem), dsaEncoding: 'ieee-p1363' });
    expect(verify('sha384', Buffer.from('x'), { key: createPublicKey(publicKeyPem), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });
});

describe('importPlaybackKeyPair', () => {
  it('imports the public half only and returns the ARN with the private half', async () => {
    ivs.on(ImportPlaybackKeyPairCommand).resolves({ keyPair: { arn: KEY_PAIR_ARN, name: 'skillyug-playback', fingerprint: '12:34' } });

    const { arn, privateKeyPem } = await importPlaybackKeyPair(client, 'skillyug-playback');

    expect(arn).toBe(KEY_PAIR_ARN);
    const input = ivs.commandCalls(ImportPlaybackKeyPairCommand)[0].args[0].input;
    expect(input).toEqual({ name: 'skillyug-playback', publicKeyMaterial: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/), tags: { app: 'skillyug' } });
    expect(input.publicKeyMaterial).not.toContain('PRIVATE');
    // The imported public key is the pair of the returned private key.
    expect(createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' })).toBe(input.publicKeyMaterial);
  });

  it('explains a missing permission', async () => {
    ivs.on(ImportPlaybackKeyPairCommand).rejects(sdkError('AccessDeniedException', 'denied', 403));
    await expect(importPlaybackKeyPair(client, 'k')).rejects.toMatchObject({ message: expect.stringContaining('ivs:ImportPlaybackKeyPair') });
  });
});

describe('createRecordingConfiguration', () => {
  const options = { name: 'skillyug-recordings', bucketName: 'skillyug-recordings-123', reconnectWindowSeconds: 30, thumbnailIntervalSeconds: 10 };

  it('records to the bucket with a reconnect window, interval thumbnails (strip and latest) and every rendition', async () => {
    const arn = 'arn:aws:ivs:us-west-2:123456789012:recording-configuration/AbCdEf123456';
    ivs.on(CreateRecordingConfigurationCommand).resolves({ recordingConfiguration: { arn, state: 'CREATING', destinationConfiguration: { s3: { bucketName: options.bucketName } } } });

    expect(await createRecordingConfiguration(client, options)).toEqual({ arn, state: 'CREATING' });
    expect(ivs.commandCalls(CreateRecordingConfigurationCommand)[0].args[0].input).toEqual({
      name: 'skillyug-recordings',
      destinationConfiguration: { s3: { bucketName: 'skillyug-recordings-123' } },
      recordingReconnectWindowSeconds: 30,
      thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 10, storage: ['SEQUENTIAL', 'LATEST'] },
      renditionConfiguration: { renditionSelection: 'ALL' },
      tags: { app: 'skillyug' },
    });
  });

  it('refuses what IVS would refuse, before calling it', () => {
    expect(() => recordingConfigurationInput({ ...options, bucketName: 'Not_A_Bucket' })).toThrow(/not an S3 bucket name/);
    expect(() => recordingConfigurationInput({ ...options, reconnectWindowSeconds: 301 })).toThrow(/0–300/);
    expect(() => recordingConfigurationInput({ ...options, thumbnailIntervalSeconds: 0 })).toThrow(/1–60/);
  });

  it('explains a bucket in another region', async () => {
    ivs.on(CreateRecordingConfigurationCommand).rejects(sdkError('ValidationException', 'Bucket must be in the same region', 400));
    await expect(createRecordingConfiguration(client, options)).rejects.toMatchObject({ message: expect.stringContaining('same region') });
  });
});
