import type { Core } from '@strapi/strapi';
import { authoringService } from './services/registry';

/**
 * Looks for ffmpeg once at start, so a machine without one says at boot (not at an editor's first
 * upload) that lesson durations won't be read from videos; the outline still works without it.
 */
export async function bootstrapAuthoring(strapi: Core.Strapi) {
  const ffmpeg = authoringService(strapi, 'lessonMedia').ffmpeg();
  if (ffmpeg) strapi.log.debug(`[live] lesson durations are read from uploaded videos with ${ffmpeg.source} ffmpeg`);
}
