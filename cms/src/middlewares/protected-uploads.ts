import path from 'node:path';
import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { loadEnv, type Env } from '@skillyug/config';
import { derivedSecret } from '@skillyug/live/utils/signed-token';
import { signedFileQuery, verifyFileUrl } from '@skillyug/live/recordings/storage/signing';
import { sendError } from '../utils/http-error';

/**
 * Lesson videos under /uploads are not public: `GET|HEAD /uploads/<name>` of a video file is served
 * only with a valid, unexpired signature for that path (`?exp=<unix s>&sig=…`), which the lesson
 * sanitizer (access/lesson-access.ts) puts on the URLs of the lessons a caller may watch, and this
 * middleware puts on the video URLs of the admin panel's responses (admins and mentors watch there).
 * Images (course covers, avatars) stay public. The signature is the recordings' disk links' one
 * (@skillyug/live recordings/storage/signing, secret derived from DATA_ENCRYPTION_KEY for 'files'),
 * over the key `uploads/<name>` — the path as served, so a link opens exactly one file.
 *
 * Which files are videos: a name with a video extension always is (no query); any other name is
 * looked up in the upload plugin's file table (`mime` video/*), the answer kept for CACHE_TTL_MS.
 * A short TTL and no invalidation on purpose: an upload's name (hash + random suffix) is new and
 * unguessable, so no name changes from image to video during its life; a deleted file is gone
 * from disk (404 either way); and lifecycle hooks would only reach this process, not the others.
 */

export const UPLOADS_PREFIX = '/uploads/';
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 5_000;
/** Expiries are rounded up to this step: everyone signed within one step gets the same URL (stable response bodies and ETags, reusable browser caches). */
const EXPIRY_STEP_SECONDS = 60;
const ADMIN_WALK_MAX_DEPTH = 12;

export const VIDEO_LINK_MISSING = 'This video needs a signed link';
export const VIDEO_LINK_INVALID = 'This video link is not valid';
export const VIDEO_LINK_EXPIRED = 'This video link has expired';

const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.webm', '.mkv', '.ogv', '.avi', '.wmv', '.flv', '.mpeg', '.mpg', '.3gp', '.3g2', '.m3u8']);

/** The secret the recordings' disk links are signed with (the same purpose, so one scheme). */
export const fileSigningSecret = (env: Env) => derivedSecret(env, 'files');

/** Is this a video, by its MIME type or its name's extension? */
export function isVideoFile(file: { mime?: unknown; url?: unknown; name?: unknown }): boolean {
  if (typeof file.mime === 'string' && file.mime.toLowerCase().startsWith('video/')) return true;
  const name = typeof file.url === 'string' ? file.url.split('?')[0] : typeof file.name === 'string' ? file.name : '';
  return VIDEO_EXTENSIONS.has(path.posix.extname(name).toLowerCase());
}

/**
 * The expiry (unix seconds) of a link signed now for `ttlSeconds` (+ `extraSeconds`), rounded up
 * to the next EXPIRY_STEP_SECONDS: never shorter than asked, at most a step longer.
 */
export function signedExpiry(ttlSeconds: number, extraSeconds = 0, nowMs: number = Date.now()): number {
  const earliest = Math.ceil(nowMs / 1000) + ttlSeconds + extraSeconds;
  return Math.ceil(earliest / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
}

/** `/uploads/<name>` → `/uploads/<name>?exp=…&sig=…` (a URL that already has a query is left as it is: it isn't a plain upload URL). */
export function signUploadUrl(url: string, secret: string, exp: number): string {
  if (!url.startsWith(UPLOADS_PREFIX) || url.includes('?')) return url;
  return `${url}?${signedFileQuery(secret, url.slice(1), exp)}`;
}

/**
 * The upload a request path reads, as koa-static will resolve it (percent-decoded, `.`/`//`
 * segments collapsed), so `/%75ploads/x.mp4` or `/./uploads/x.mp4` are the same file as
 * `/uploads/x.mp4`. Null when the path is outside /uploads or can't be decoded (koa-static
 * answers those 400 itself).
 */
export function requestedUploadName(rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const normalized = path.posix.normalize(decoded);
  // The prefix compared case-insensitively: on a case-insensitive disk /UPLOADS/x.mp4 is the same file.
  if (!normalized.toLowerCase().startsWith(UPLOADS_PREFIX)) return null;
  const name = normalized.slice(UPLOADS_PREFIX.length);
  return name.length > 0 ? name : null;
}

type Answer = { video: boolean; until: number };

/** Is the upload `name` a video? By extension, else its row in the file table; answers kept for CACHE_TTL_MS. */
export function videoUploadLookup(findMime: (url: string) => Promise<string | null>, now: () => number = Date.now) {
  const answers = new Map<string, Answer>();
  return async function isVideoUpload(name: string): Promise<boolean> {
    if (isVideoFile({ url: name })) return true;
    const known = answers.get(name);
    if (known && known.until > now()) return known.video;
    const mime = await findMime(`${UPLOADS_PREFIX}${name}`);
    const video = isVideoFile({ mime });
    answers.delete(name);
    if (answers.size >= CACHE_MAX_ENTRIES) answers.delete(answers.keys().next().value!);
    answers.set(name, { video, until: now() + CACHE_TTL_MS });
    return video;
  };
}

/** Replaces the URL of every video file object in an admin response with a signed one (images untouched). */
export function signVideoUrlsIn(node: unknown, sign: (url: string) => string, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > ADMIN_WALK_MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const item of node) signVideoUrlsIn(item, sign, depth + 1);
    return;
  }
  const entity = node as Record<string, unknown>;
  if (typeof entity.url === 'string' && entity.url.startsWith(UPLOADS_PREFIX) && isVideoFile(entity)) entity.url = sign(entity.url);
  for (const value of Object.values(entity)) if (value && typeof value === 'object') signVideoUrlsIn(value, sign, depth + 1);
}

const isJsonBody = (body: unknown) =>
  body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const env = loadEnv('cms');
  const secret = fileSigningSecret(env);
  const isVideoUpload = videoUploadLookup(async (url) => {
    const row = await strapi.db.query('plugin::upload.file').findOne({ where: { url }, select: ['mime'] });
    return typeof row?.mime === 'string' ? row.mime : null;
  });

  return async (ctx: Context, next: Next) => {
    const name = ctx.method === 'GET' || ctx.method === 'HEAD' ? requestedUploadName(ctx.path) : null;
    if (name !== null && (await isVideoUpload(name))) {
      const link = verifyFileUrl(secret, `uploads/${name}`, ctx.query);
      if (!link.ok) {
        const message = link.reason === 'expired' ? VIDEO_LINK_EXPIRED : ctx.query.sig === undefined && ctx.query.exp === undefined ? VIDEO_LINK_MISSING : VIDEO_LINK_INVALID;
        ctx.set('Cache-Control', 'no-store');
        return sendError(ctx, 403, 'ForbiddenError', message);
      }
      // The caller's own link: no shared cache keeps it (one that ignored the query would serve the
      // file unsigned), and no browser keeps it past the link's life. koa-static leaves a set Cache-Control alone.
      const secondsLeft = Math.max(0, Math.floor((link.expiresAt.getTime() - Date.now()) / 1000));
      ctx.set('Cache-Control', `private, max-age=${secondsLeft}`);
      return next();
    }

    await next();

    // The media library and the content manager show lesson videos to admins and mentors: their
    // responses carry signed URLs (their <video> elements can't send the admin token).
    const auth = ctx.state?.auth as { strategy?: { name?: string } } | undefined;
    if (auth?.strategy?.name === 'admin' && isJsonBody(ctx.body)) {
      const exp = signedExpiry(env.SIGNED_URL_TTL_SECONDS);
      signVideoUrlsIn(ctx.body, (url) => signUploadUrl(url, secret, exp));
    }
  };
};
