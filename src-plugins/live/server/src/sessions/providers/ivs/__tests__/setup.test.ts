import { createPublicKey, createPrivateKey, sign, verify } from 'node:crypto';
import { ImportPlaybackKeyPairCommand, IvsClient } from '@aws-sdk/client-ivs';
import { mockClient } from 'aws-sdk-client-mock';
import { createPlaybackKeyPair, importPlaybackKeyPair } from '..';
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
