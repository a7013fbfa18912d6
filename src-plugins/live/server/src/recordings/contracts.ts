import { z } from 'zod';
import { courseIdList, documentId as documentIdOf } from '../utils/schemas';
import { plainText } from '../utils/plain-text';

/**
 * The recordings API's request schemas and response shapes, shared by the server, the mentor
 * panel (admin/src) and the site. Browser-safe: no Node imports.
 *
 * Times on a replay's timeline (`atMs`) are milliseconds into the recording's video, already
 * aligned by the server (a class's events carry offsets from the moment it went live; the video
 * starts when the encoder's first media arrived, and a reconnect after the grace adds a segment).
 */

export const RECORDING_STATUSES = ['recording', 'processing', 'ready', 'failed'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

/** Where processing is; null when not processing. `progress` is 0–1 over the whole job. */
export const PROCESSING_STAGES = ['queued', 'remux', 'thumbnails', 'upload', 'import'] as const;
export type ProcessingStage = (typeof PROCESSING_STAGES)[number];

const documentId = documentIdOf();

export const recordingIdParam = documentId;

export type RecordingThumbnail = { atMs: number; url: string };

/** What a player needs. The URLs are signed for a short time; ask again when they lapse. */
export type RecordingPlayback = {
  /** `mp4`: a progressive MP4 (the local pipeline). `hls`: an HLS playlist (IVS recordings, hls.js or the IVS player). */
  kind: 'mp4' | 'hls';
  url: string;
  posterUrl: string | null;
  expiresAt: string;
};

/** Engagement of the class, filled in when it ends. */
export type RecordingClassFigures = {
  peakViewers: number;
  totalViewers: number;
  watchTimeSeconds: number;
  messageCount: number;
};

/** Enough to list a recording (no URL: lists are public or cached). */
export type RecordingSummary = {
  id: string;
  sessionId: string;
  courseId: string;
  title: string;
  status: RecordingStatus;
  /** When the recorded stream began. */
  recordedAt: string | null;
  durationMs: number | null;
  /** The lesson it was published as, if it was. */
  lessonId: string | null;
};

/** One recording for someone who may watch it (enrolled student, the class's mentor, an admin). */
export type RecordingDto = RecordingSummary & {
  provider: 'local' | 'ivs';
  stage: ProcessingStage | null;
  progress: number | null;
  failureReason: string | null;
  sizeBytes: number | null;
  thumbnails: RecordingThumbnail[];
  /** Present when `status` is ready. */
  playback: RecordingPlayback | null;
  figures: RecordingClassFigures | null;
};

/** The panel's view: everything above plus what only the mentor does. */
export type PanelRecordingDto = RecordingDto & {
  storage: 'disk' | 's3';
  /** A signed URL that downloads the MP4 (local recordings) with a file name; null for HLS or when not ready. */
  downloadUrl: string | null;
  /** "Publish when ready" was asked for: where it will go. */
  autoPublish: { moduleId: string; moduleTitle: string } | null;
  /** The modules of the course it can be published into. */
  modules: { id: string; title: string }[];
  /** How many days until the retention job deletes it (unpublished only); null when kept. */
  deletesInDays: number | null;
};

/** A class that has ended, for the course page and the dashboard (public: no URLs). */
export type PastClassDto = {
  sessionId: string;
  title: string;
  courseId: string;
  courseTitle: string | null;
  courseSlug: string | null;
  startedAt: string | null;
  endedAt: string | null;
  recording: Pick<RecordingSummary, 'id' | 'status' | 'durationMs' | 'lessonId'> | null;
};

export const pastClassesQuery = z
  .object({
    /** One course's documentId, or several separated by commas (the dashboard's courses). */
    course: courseIdList(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type PastClassesQuery = z.infer<typeof pastClassesQuery>;

/** "Publish as a lesson": now when ready, else remembered and done when processing finishes. */
export const publishRecordingBody = z
  .object({
    moduleId: documentId,
    title: plainText({ min: 3, max: 160 }).optional(),
    /** A free preview anyone can watch (the lesson's rule); default false: enrolled students only. */
    isPreview: z.boolean().optional(),
  })
  .strict();
export type PublishRecordingBody = z.infer<typeof publishRecordingBody>;

export type PublishRecordingResponse =
  | { state: 'published'; lessonId: string; lessonSlug: string }
  | { state: 'scheduled'; moduleId: string };

// ── Replay ────────────────────────────────────────────────────────────────────────────────

/** A chat message as it was shown in class (deleted messages and system notices are left out). `id` is its chat seq. */
export type ReplayChatMessage = { id: number; atMs: number; authorName: string; authorRole: 'student' | 'mentor' | 'admin'; text: string };

export type ReplayQuestion = {
  id: number;
  atMs: number;
  text: string;
  authorName: string;
  votes: number;
  state: 'open' | 'answered' | 'dismissed' | 'withdrawn';
  answeredAtMs: number | null;
};

export type ReplayPoll = {
  id: number;
  atMs: number;
  closedAtMs: number | null;
  kind: 'poll' | 'quiz';
  question: string;
  options: string[];
  counts: number[];
  total: number;
  /** Quizzes only. */
  correctOption: number | null;
};

export type ReplayChapter = { atMs: number; kind: 'question' | 'poll'; label: string };

/** "I'm lost" signals counted per bucket of the video; null when there were none. */
export type ReplayHeatmap = { bucketMs: number; counts: number[] };

export type ReplayTimeline = {
  recordingId: string;
  durationMs: number;
  chat: ReplayChatMessage[];
  questions: ReplayQuestion[];
  polls: ReplayPoll[];
  chapters: ReplayChapter[];
  lost: ReplayHeatmap | null;
};
