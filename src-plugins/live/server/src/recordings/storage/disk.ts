/**
 * The disk backend: objects are files under `root` (LOCAL_STORAGE_DIR), read through signed links to
 * `/api/live/files/<key>` that the plugin's route answers with `serveSignedFile`.
 *
 * Writes are atomic: a temporary dot-file in the target folder, then a rename, so a reader (or a
 * restart mid-write) never sees half a file. Keys can't start a segment with '.', so temporary
 * files are never listed, served or overwritten by a key.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  assertListPrefix,
  assertStorageKey,
  assertStoragePrefix,
  contentTypeOf,
  parseSignedUrlOptions,
  StorageError,
  storageKeySchema,
  type ObjectStorage,
  type StoredObject,
} from './types';
import { attachmentDisposition, safeDownloadName, signedFileQuery, verifyFileUrl } from './signing';

export { signFileUrl, verifyFileUrl, signedFileQuery, safeDownloadName, attachmentDisposition, LINK_EXPIRED, LINK_NOT_VALID } from './signing';
export type { FileUrlCheck } from './signing';

/** The route the plugin mounts for disk files (GET|HEAD `/api/live/files/(.*)`). */
export const FILES_ROUTE_PREFIX = '/api/live/files/';

export type DiskStorageOptions = {
  /** An absolute folder; created when missing. */
  root: string;
  /** The CMS's public origin, e.g. http://localhost:1337 (PUBLIC_URL). */
  publicUrl: string;
  /** Signs the links (at least 16 characters): pass `derivedSecret(env, 'files')`. */
  secret: string;
  /** Milliseconds since the epoch; tests pass a clock. */
  now?: () => number;
};

export interface DiskStorage extends ObjectStorage {
  readonly kind: 'disk';
  readonly root: string;
  /** The file behind a key (validated: never outside root). */
  pathOf(key: string): string;
  /** Checks a link's `exp`/`sig`/`dl` for `key` against this storage's secret and clock. */
  verifyLink(key: string, query: Record<string, unknown>): ReturnType<typeof verifyFileUrl>;
  now(): number;
}

// Duck-typed: fs errors may come from another realm (jest's sandbox), where instanceof Error fails.
const isNodeError = (error: unknown, ...codes: string[]): error is NodeJS.ErrnoException =>
  typeof error === 'object' && error !== null && codes.includes(String((error as NodeJS.ErrnoException).code));

export function diskStorage(options: DiskStorageOptions): DiskStorage {
  const root = path.resolve(options.root);
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const { secret } = options;
  const now = options.now ?? Date.now;
  if (typeof secret !== 'string' || secret.length < 16) throw new StorageError('The disk storage needs a signing secret of at least 16 characters', 503);

  const pathOf = (key: string) => {
    assertStorageKey(key);
    const file = path.resolve(root, key);
    // The key rules already forbid '..' and absolute keys; this is the belt to those braces.
    if (!file.startsWith(root + path.sep)) throw new StorageError(`The key ${key} is outside the storage folder`, 400);
    return file;
  };

  /** Writes through a temporary sibling, then renames it over the target. */
  async function atomically(file: string, write: (temporary: string) => Promise<void>) {
    const directory = path.dirname(file);
    const temporary = path.join(directory, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
    try {
      await fs.mkdir(directory, { recursive: true });
      await write(temporary);
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true }).catch(() => undefined);
      throw writeError(error, file);
    }
  }

  function writeError(error: unknown, file: string) {
    if (error instanceof StorageError) return error;
    if (isNodeError(error, 'ENOENT')) return new StorageError(`The file to store does not exist: ${(error as NodeJS.ErrnoException).path ?? file}`, 404);
    if (isNodeError(error, 'ENOSPC')) return new StorageError(`The storage folder ${root} is full`, 503);
    if (isNodeError(error, 'EACCES', 'EPERM', 'EROFS')) return new StorageError(`The storage folder ${root} is not writable (${(error as NodeJS.ErrnoException).code})`, 503);
    if (isNodeError(error, 'EISDIR', 'ENOTDIR')) return new StorageError(`${path.relative(root, file)} collides with a folder of the same name`, 409);
    return new StorageError(`Could not write ${path.relative(root, file)}: ${(error as Error)?.message ?? String(error)}`, 503);
  }

  async function walk(directory: string, found: StoredObject[]) {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return;
      throw new StorageError(`Could not list ${directory}: ${(error as NodeJS.ErrnoException).code ?? error}`, 503);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // temporary files
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) await walk(full, found);
      else if (entry.isFile()) {
        const key = path.relative(root, full).split(path.sep).join('/');
        if (!storageKeySchema.safeParse(key).success) continue; // a stray file no key can name
        const { size } = await fs.stat(full);
        found.push({ key, size });
      }
    }
  }

  async function list(prefix: string): Promise<StoredObject[]> {
    assertListPrefix(prefix);
    // Only the folder that holds the prefix's last segment can contain matches.
    const folder = prefix.includes('/') ? path.join(root, prefix.slice(0, prefix.lastIndexOf('/'))) : root;
    const found: StoredObject[] = [];
    await walk(folder, found);
    return found.filter((object) => object.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  const storage: DiskStorage = {
    kind: 'disk',
    root,
    pathOf,
    now: () => now(),

    async putFile(key, filePath, { onProgress }) {
      const file = pathOf(key);
      const source = await fs.stat(filePath).catch((error) => {
        throw writeError(error, file);
      });
      if (!source.isFile()) throw new StorageError(`${filePath} is not a file`, 400);
      onProgress?.(0, source.size);
      // A copy, never a move: the caller's file (e.g. the raw recording) stays until the caller removes it.
      await atomically(file, (temporary) => fs.copyFile(filePath, temporary));
      onProgress?.(source.size, source.size);
      return { key, size: source.size };
    },

    async putBuffer(key, body) {
      const file = pathOf(key);
      await atomically(file, (temporary) => fs.writeFile(temporary, body));
      return { key, size: body.length };
    },

    async getBuffer(key) {
      const file = pathOf(key);
      try {
        return await fs.readFile(file);
      } catch (error) {
        if (isNodeError(error, 'ENOENT', 'EISDIR', 'ENOTDIR')) throw new StorageError(`No object at ${key}`, 404);
        throw new StorageError(`Could not read ${key}: ${(error as NodeJS.ErrnoException).code ?? error}`, 503);
      }
    },

    list,

    async deletePrefix(prefix) {
      assertStoragePrefix(prefix);
      const objects = await list(prefix);
      try {
        await fs.rm(path.join(root, prefix), { recursive: true, force: true });
      } catch (error) {
        throw new StorageError(`Could not delete ${prefix}: ${(error as NodeJS.ErrnoException).code ?? error}`, 503);
      }
      return objects.length;
    },

    async signedUrl(key, options) {
      assertStorageKey(key);
      const { expiresInSeconds, downloadName } = parseSignedUrlOptions(options);
      const dl = downloadName === undefined ? undefined : safeDownloadName(downloadName);
      if (dl === null) throw new StorageError('The download name has no usable characters', 400);
      const exp = Math.floor(now() / 1000) + expiresInSeconds;
      return { url: `${publicUrl}${FILES_ROUTE_PREFIX}${key}?${signedFileQuery(secret, key, exp, dl)}`, expiresAt: new Date(exp * 1000) };
    },

    async check() {
      const probe = path.join(root, `.probe-${randomBytes(6).toString('hex')}`);
      try {
        await fs.mkdir(root, { recursive: true });
        await fs.writeFile(probe, 'ok');
        await fs.rm(probe, { force: true });
      } catch (error) {
        throw new StorageError(`The storage folder ${root} is not writable (${(error as NodeJS.ErrnoException).code ?? error}): check LOCAL_STORAGE_DIR`, 503);
      }
    },

    verifyLink: (key, query) => verifyFileUrl(secret, key, query, now()),
  };
  return storage;
}

export const isDiskStorage = (storage: ObjectStorage): storage is DiskStorage => storage.kind === 'disk' && 'pathOf' in storage;

// ── The signed file route ─────────────────────────────────────────────────────────────────────

export type FileRequest = { method: string; key: string; query: Record<string, unknown>; range?: string };
export type FileResponse = {
  status: number;
  headers: Record<string, string>;
  /** A stream of the bytes (GET), or Strapi's JSON error envelope (errors); absent for HEAD. */
  body?: NodeJS.ReadableStream | string;
  /** On errors: the message that is in the body, for callers that write their own envelope. */
  message?: string;
};

const ERROR_NAMES: Record<number, string> = { 403: 'ForbiddenError', 404: 'NotFoundError', 405: 'MethodNotAllowedError', 416: 'RangeNotSatisfiableError' };

function errorResponse(status: number, message: string, headers: Record<string, string> = {}): FileResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify({ data: null, error: { status, name: ERROR_NAMES[status] ?? 'Error', message, details: {} } }),
    message,
  };
}

type ByteRange = { start: number; end: number };

/**
 * One `bytes=` range against a file of `size` bytes: a range, 'unsatisfiable', or null to ignore the
 * header (absent, malformed or several ranges: RFC 9110 lets a server answer those with the whole file).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return null; // invalid range: ignored
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * Answers `GET|HEAD /api/live/files/<key>?exp&sig[&dl]` (or any route that serves a disk storage's
 * folder through signed links): framework-free, so the route only copies status, headers and body.
 */
export async function serveSignedFile(storage: ObjectStorage, request: FileRequest): Promise<FileResponse> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return errorResponse(405, 'Only GET and HEAD read a file', { Allow: 'GET, HEAD' });
  if (!isDiskStorage(storage)) return errorResponse(404, 'Files are not served from this server');
  // A key that isn't one (a path escape, a dot-file) can't have been signed: the link is not valid.
  if (!storageKeySchema.safeParse(request.key).success) return errorResponse(403, 'This link is not valid');
  const link = storage.verifyLink(request.key, request.query);
  if (!link.ok) return errorResponse(403, link.message);

  const file = storage.pathOf(request.key);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return errorResponse(404, 'This file no longer exists');
  }
  if (!stat.isFile()) return errorResponse(404, 'This file no longer exists');

  const size = stat.size;
  const secondsLeft = Math.max(0, Math.floor((link.expiresAt.getTime() - storage.now()) / 1000));
  const headers: Record<string, string> = {
    'Content-Type': contentTypeOf(request.key),
    'Accept-Ranges': 'bytes',
    // Per user (the link is theirs) and never cached past the link's own life.
    'Cache-Control': `private, max-age=${secondsLeft}`,
    'Last-Modified': stat.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  };
  if (link.downloadName !== undefined) headers['Content-Disposition'] = attachmentDisposition(link.downloadName);

  const range = parseRange(request.range, size);
  if (range === 'unsatisfiable') return errorResponse(416, `The requested range is outside the file (${size} bytes)`, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' });
  const status = range ? 206 : 200;
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers['Content-Length'] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  if (method === 'HEAD' || size === 0) return { status, headers, ...(method === 'GET' ? { body: '' } : {}) };
  return { status, headers, body: createReadStream(file, { start, end }) };
}
