import { z } from 'zod';
import { documentId as documentIdOf } from '../utils/schemas';
import { plainText } from '../utils/plain-text';

/**
 * The course outline API's request schemas and response shapes (admin routes /live/outline/…),
 * shared by the server and the admin's Outline page. Browser-safe: zod and types only.
 *
 * Everything the outline edits is the draft; "publish" makes the drafts of the course, its
 * modules and its lessons live at once.
 */

export const LESSON_TYPES = ['video', 'article', 'live', 'quiz'] as const;
export type LessonType = (typeof LESSON_TYPES)[number];

/**
 * Where a course, module or lesson stands, by the content manager's own rule: `draft` was never
 * published, `published` has no unpublished changes, `modified` is published with a newer draft.
 */
export type ItemState = 'draft' | 'published' | 'modified';

export type OutlineLesson = {
  documentId: string;
  title: string;
  slug: string;
  type: LessonType;
  /** Seconds. */
  duration: number;
  isPreview: boolean;
  /** An uploaded video, or a live class's recording published as the lesson. */
  hasVideo: boolean;
  state: ItemState;
  /** The stored position in its module (0 first). */
  order: number;
};

export type OutlineModule = { documentId: string; title: string; order: number; state: ItemState; lessons: OutlineLesson[] };

/** What the caller may do with this outline (from their content-manager permissions). */
export type OutlineRights = { edit: boolean; publish: boolean };

export type Outline = {
  course: { documentId: string; title: string; slug: string; state: ItemState; updatedAt: string };
  /** In order, each with its lessons in order. */
  modules: OutlineModule[];
  rights: OutlineRights;
};

export type OutlineCourseSummary = { documentId: string; title: string; state: ItemState; modules: number; lessons: number; updatedAt: string };

/** `meta` of the publish and unpublish answers: how many modules and lessons this action changed. */
export type OutlineCounts = { modules: number; lessons: number };

/** A title as the outline takes it (course, module and lesson titles are at most 160 characters). */
export const OUTLINE_TITLE_MAX = 160;
const title = plainText({ min: 1, max: OUTLINE_TITLE_MAX });

/** The longest lesson a duration may describe: a day, in seconds (longer is a typo). */
export const MAX_LESSON_SECONDS = 24 * 60 * 60;

export const courseIdParam = documentIdOf('a course id');
export const moduleIdParam = documentIdOf('a module id');
export const lessonIdParam = documentIdOf('a lesson id');

export const listCoursesQuery = z.object({ search: z.string().trim().max(100, 'must be at most 100 characters').optional() }).strict();
export type ListCoursesQuery = z.infer<typeof listCoursesQuery>;

export const moduleBody = z.object({ title }).strict();
export type ModuleBody = z.infer<typeof moduleBody>;

export const createLessonBody = z
  .object({
    title,
    /** Defaults to `video` when a video is given, else `article`. */
    type: z.enum(LESSON_TYPES).optional(),
    /** A file already in the media library (the panel uploads it with Strapi's own POST /upload first). */
    videoFileId: z.number().int().positive().optional(),
    /** Seconds, as the browser read them from the file; the server's own reading of the file wins when it can make one. */
    duration: z.number().int().min(0).max(MAX_LESSON_SECONDS, `must be at most ${MAX_LESSON_SECONDS} seconds`).optional(),
  })
  .strict()
  .refine((body) => body.videoFileId === undefined || body.type === undefined || body.type === 'video', {
    message: 'a lesson with a video is a video lesson: leave type out or send "video"',
    path: ['type'],
  });
export type CreateLessonBody = z.infer<typeof createLessonBody>;

export const updateLessonBody = z
  .object({ title: title.optional(), isPreview: z.boolean().optional() })
  .strict()
  .refine((body) => body.title !== undefined || body.isPreview !== undefined, 'nothing to update: send title or isPreview');
export type UpdateLessonBody = z.infer<typeof updateLessonBody>;

/** Generous caps: a course with more is not something one request should rearrange. */
export const MAX_OUTLINE_MODULES = 200;
export const MAX_OUTLINE_LESSONS = 2000;

/** The whole course's order: every module in order, each with every lesson it should hold, in order. */
export const orderBody = z
  .object({
    modules: z
      .array(
        z
          .object({
            documentId: moduleIdParam,
            lessons: z.array(lessonIdParam).max(MAX_OUTLINE_LESSONS, `at most ${MAX_OUTLINE_LESSONS} lessons`),
          })
          .strict()
      )
      .max(MAX_OUTLINE_MODULES, `at most ${MAX_OUTLINE_MODULES} modules`),
  })
  .strict();
export type OrderBody = z.infer<typeof orderBody>;
