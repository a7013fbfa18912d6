import type { Core } from '@strapi/strapi';
import { LESSON_UID, mediaId, storedRow, useDocuments, writeData } from './documents';

type LessonMedia = { durationSeconds(fileId: number): Promise<number | null> };

/**
 * A lesson saved with a video and no duration (0 or empty) gets the video's length, read from
 * the uploaded file by the live plugin's probe (authoring's `lessonMedia`: ffmpeg, local uploads).
 * A duration the editor typed is kept; when the file can't be read (S3, no ffmpeg) nothing changes.
 */
export function registerLessonDurationRule(strapi: Core.Strapi) {
  const media = () => strapi.plugin('live').service('lessonMedia') as LessonMedia;

  useDocuments(strapi, async (context, next) => {
    if (context.uid !== LESSON_UID || !['create', 'update', 'clone'].includes(context.action)) return next();
    const data = writeData(context);
    const video = mediaId(data.video);
    if (context.action === 'update' && video === undefined && !('duration' in data)) return next();

    const stored = context.action === 'create' ? null : await storedRow(strapi, LESSON_UID, context.params.documentId, ['duration'], { video: { select: ['id'] } });
    const fileId = video !== undefined ? video : ((stored?.video?.id as number | undefined) ?? null);
    const duration = 'duration' in data ? Number(data.duration) || 0 : Number(stored?.duration) || 0;
    if (fileId && duration <= 0) {
      const seconds = await media().durationSeconds(fileId);
      if (seconds) data.duration = seconds;
    }
    return next();
  });
}
