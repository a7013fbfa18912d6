import crypto from 'node:crypto';

/**
 * Stream keys at rest: AES-256-GCM under a key derived from DATA_ENCRYPTION_KEY, so a database
 * dump alone doesn't let anyone broadcast into a class. Format: v1.<iv>.<tag>.<ciphertext> (base64url).
 */
const deriveKey = (secret: string) => crypto.createHash('sha256').update(`skillyug:live:stream-key:${secret}`).digest();

export function encryptStreamKey(plain: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decryptStreamKey(sealed: string, secret: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unrecognized stream key format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', deriveKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
