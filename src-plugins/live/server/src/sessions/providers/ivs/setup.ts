import { ImportPlaybackKeyPairCommand, type IvsClient } from '@aws-sdk/client-ivs';
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
