import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { locateFfmpeg, type LocatedFfmpeg } from '../../recordings/media/ffmpeg';
import { probeMedia } from '../../recordings/media/probe';
import { findUploadedFile } from '../store';

/** A probe reads the container header (or, failing that, every packet): seconds for a lesson clip, bounded anyway. */
const PROBE_TIMEOUT_MS = 20_000;

/**
 * A lesson's duration read from its uploaded video with the recordings pipeline's probe (ffmpeg
 * alone, no ffprobe). Only files the local upload provider keeps on this disk can be read; for
 * others (S3) the caller falls back to what the browser read from the file, or what the editor typed.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let located: LocatedFfmpeg | null | undefined;

  /** ffmpeg, looked up once per process; null (said once in the log) when there is none. */
  function ffmpeg(): LocatedFfmpeg | null {
    if (located !== undefined) return located;
    try {
      located = locateFfmpeg(loadEnv('cms').FFMPEG_PATH);
    } catch (error) {
      strapi.log.warn(`[live] lesson durations can't be read from uploaded videos: ${(error as Error).message}`);
      located = null;
    }
    return located;
  }

  /** Where the local provider keeps an upload, or null when the file isn't on this disk (another provider, an odd URL). */
  function localPath(file: { url: string | null; provider: string | null }): string | null {
    if (file.provider !== 'local' || !file.url?.startsWith('/uploads/')) return null;
    const uploads = path.resolve(strapi.dirs.static.public, 'uploads');
    const resolved = path.resolve(strapi.dirs.static.public, `.${decodeURIComponent(file.url.split('?')[0])}`);
    return resolved.startsWith(`${uploads}${path.sep}`) ? resolved : null;
  }

  return {
    ffmpeg,

    /** Whole seconds of the uploaded video `fileId`, or null when it can't be read here (see above) or isn't media. */
    async durationSeconds(fileId: number): Promise<number | null> {
      const file = await findUploadedFile(strapi, fileId);
      const where = file && localPath(file);
      const binary = where ? ffmpeg() : null;
      if (!where || !binary) return null;
      try {
        const probe = await probeMedia(binary.path, where, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        return probe.durationMs > 0 ? Math.round(probe.durationMs / 1000) : null;
      } catch (error) {
        strapi.log.warn(`[live] could not read the duration of the upload ${file!.name} (${fileId}): ${(error as Error).message}`);
        return null;
      }
    },
  };
};
