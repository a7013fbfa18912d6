import { z } from 'zod';
import { HttpError } from '../../utils/http';

/**
 * One interface over where recordings (and other private files) live: a folder on disk, or an S3
 * bucket. Keys are relative paths such as `recordings/<id>/video.mp4`, the same on both backends.
 */

export type StorageKind = 'disk' | 's3';
export type StoredObject = { key: string; size: number };

export type PutFileOptions = { contentType: string; onProgress?: (loaded: number, total: number) => void };
export type SignedUrlOptions = { expiresInSeconds: number; downloadName?: string };

export interface ObjectStorage {
  readonly kind: StorageKind;
  /** Large files: S3 multipart (@aws-sdk/lib-storage Upload, parts ≥ 8 MB) / a copy then rename on disk. The caller's file is left in place. */
  putFile(key: string, filePath: string, options: PutFileOptions): Promise<StoredObject>;
  putBuffer(key: string, body: Buffer, options: { contentType: string }): Promise<StoredObject>;
  /** Small objects only (JSON, playlists). Throws StorageError with status 404 when absent. */
  getBuffer(key: string): Promise<Buffer>;
  /** Every object whose key starts with `prefix` (a plain string prefix, as S3 has it), sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Deletes every object under the prefix (must end with '/'); returns how many. Absent prefix = 0, not an error. */
  deletePrefix(prefix: string): Promise<number>;
  /** A URL that reads the object until it expires. `downloadName` → Content-Disposition: attachment. */
  signedUrl(key: string, options: SignedUrlOptions): Promise<{ url: string; expiresAt: Date }>;
  /** Readiness: the bucket answers / the folder is writable. Throws StorageError naming the problem. */
  check(): Promise<void>;
}

export type StorageErrorStatus = 400 | 403 | 404 | 409 | 502 | 503;

const ERROR_NAMES: Record<StorageErrorStatus, string> = {
  400: 'ValidationError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'ConflictError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
};

/**
 * A storage failure with the HTTP status it deserves and a message an operator can act on. It is an
 * HttpError, so a controller that lets it through answers with Strapi's error envelope, never a 500.
 */
export class StorageError extends HttpError {
  declare readonly status: StorageErrorStatus;
  constructor(message: string, status: StorageErrorStatus, audit: Record<string, unknown> = {}) {
    super(status, ERROR_NAMES[status], message, {}, audit);
    this.name = 'StorageError';
  }
}

export const MAX_KEY_LENGTH = 1024;

/** What a key (or a prefix) may hold; why is the message. A key never escapes its root: no '..', no leading '/'. */
const keyText = z
  .string({ message: 'A storage key must be a string' })
  .min(1, "A storage key can't be empty")
  .max(MAX_KEY_LENGTH, `A storage key is at most ${MAX_KEY_LENGTH} characters`)
  .refine((key) => !key.startsWith('/'), "A storage key can't start with '/'")
  .refine((key) => /^[A-Za-z0-9._/-]+$/.test(key), "A storage key may only hold letters, digits, '.', '_', '-' and '/'")
  .refine((key) => !key.includes('..'), "A storage key can't contain '..'")
  // Dot-names are the disk backend's temporary files; an empty segment ('a//b') names nothing on disk.
  .refine((key) => key.split('/').every((segment, index, all) => (segment === '' ? index === all.length - 1 : !segment.startsWith('.'))), "A storage key can't have empty segments or segments starting with '.'");

export const storageKeySchema = keyText.refine((key) => !key.endsWith('/'), "A storage key names an object: it can't end with '/'");
/** A prefix of `deletePrefix`: a folder, so that 'recordings/1' can't also take 'recordings/10'. */
export const storagePrefixSchema = keyText.refine((key) => key.endsWith('/'), "A prefix to delete must end with '/'");
/** A prefix of `list`: any start of a key, or '' for everything. */
export const listPrefixSchema = z.union([z.literal(''), keyText]);

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : typeof value;
  throw new StorageError(`${result.error.issues[0]?.message ?? 'Invalid storage key'} (${what} ${shown})`, 400);
}

export function assertStorageKey(key: unknown): asserts key is string {
  check(storageKeySchema, key, 'key');
}

export function assertStoragePrefix(prefix: unknown): asserts prefix is string {
  check(storagePrefixSchema, prefix, 'prefix');
}

export function assertListPrefix(prefix: unknown): asserts prefix is string {
  check(listPrefixSchema, prefix, 'prefix');
}

/** The longest a signed URL may live: SigV4 presigned URLs stop at 7 days. */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 60 * 60;

export const signedUrlOptionsSchema = z.object({
  expiresInSeconds: z
    .number({ message: 'expiresInSeconds must be a number' })
    .int('expiresInSeconds must be a whole number of seconds')
    .min(1, 'expiresInSeconds must be at least 1')
    .max(MAX_SIGNED_URL_SECONDS, `expiresInSeconds is at most ${MAX_SIGNED_URL_SECONDS} (7 days)`),
  downloadName: z.string().optional(),
});

export function parseSignedUrlOptions(options: unknown): SignedUrlOptions {
  return check(signedUrlOptionsSchema, options, 'options');
}

/** A content type by file extension, for the files this module stores. */
export function contentTypeOf(key: string): string {
  const extension = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  json: 'application/json',
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  vtt: 'text/vtt',
};
