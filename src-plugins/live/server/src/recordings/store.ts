import type { Core } from '@strapi/strapi';
import type { ProcessingStage, RecordingStatus, RecordingSummary } from './contracts';

export const RECORDING_UID = 'plugin::live.live-recording';
export const LESSON_UID = 'api::lesson.lesson';
export const MODULE_UID = 'api::module.module';

/** One raw FLV the local ingest wrote; `endedAt` is set once the file is closed and complete. */
export type RecordingSource = { file: string; startedAt: string; endedAt: string | null };
/** A stretch of the video: when it was live (wall clock) and how long it lasts in the file. Aligns the class's events with the video. */
export type RecordingSegment = { startedAt: string; durationMs: number };
export type StoredThumbnail = { key: string; atMs: number };
export type AutoPublish = { moduleId: string; title?: string; isPreview?: boolean; requestedBy: number };

export type RecordingRow = {
  id: number;
  documentId: string;
  sessionId: number;
  sessionDocumentId: string;
  courseDocumentId: string;
  title: string;
  provider: 'local' | 'ivs';
  storage: 'disk' | 's3';
  status: RecordingStatus;
  stage: ProcessingStage | null;
  progress: number | null;
  failureReason: string | null;
  recordingStartedAt: string | Date | null;
  recordingEndedAt: string | Date | null;
  durationMs: number | string | null;
  sizeBytes: number | string | null;
  sources: RecordingSource[] | null;
  segments: RecordingSegment[] | null;
  mediaKind: 'mp4' | 'hls' | null;
  mediaKey: string | null;
  posterKey: string | null;
  thumbnails: StoredThumbnail[] | null;
  renditions: unknown;
  ivsBucket: string | null;
  ivsPrefix: string | null;
  ivsRecordingSessionId: string | null;
  lastEventAt: string | Date | null;
  figures: Record<string, number> | null;
  lessonDocumentId: string | null;
  autoPublish: AutoPublish | null;
  leaseOwner: string | null;
  leaseUntil: string | Date | null;
  attempts: number;
  createdAt: string | Date;
  updatedAt: string | Date;
};

export const recordings = (strapi: Core.Strapi) => strapi.db.query(RECORDING_UID as any);

export const findRecording = async (strapi: Core.Strapi, where: Record<string, unknown>) =>
  ((await recordings(strapi).findOne({ where })) as RecordingRow | null) ?? null;

/** biginteger columns come back as strings from PostgreSQL. */
export const numberOrNull = (value: number | string | null | undefined): number | null =>
  value === null || value === undefined || value === '' ? null : Number(value);

export const isoOrNull = (value: string | Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

/**
 * Moves a recording from one of `from` to new data, only if it is still in one of them (two
 * processes, or two events, racing: one wins). Returns the updated row, or null when it had moved.
 */
export async function transitionRecording(strapi: Core.Strapi, row: RecordingRow, from: RecordingStatus[], data: Record<string, unknown>): Promise<RecordingRow | null> {
  const { count } = await recordings(strapi).updateMany({ where: { id: row.id, status: { $in: from } }, data });
  if (count !== 1) return null;
  return findRecording(strapi, { id: row.id });
}

export function toSummary(row: RecordingRow): RecordingSummary {
  return {
    id: row.documentId,
    sessionId: row.sessionDocumentId,
    courseId: row.courseDocumentId,
    title: row.title,
    status: row.status,
    recordedAt: isoOrNull(row.recordingStartedAt),
    durationMs: numberOrNull(row.durationMs),
    lessonId: row.lessonDocumentId ?? null,
  };
}
