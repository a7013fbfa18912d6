/** Pure helpers for the syllabus, progress and "continue where I left off" (unit-tested). */

export type SyllabusEntry = { documentId: string; slug: string; title: string; type: string; duration: number; isPreview: boolean };
type ModuleLike = { documentId: string; title: string; lessons: SyllabusEntry[] };
type ProgressLike = { positionSeconds: number; completedAt?: string | null; updatedAt?: string | null; lesson?: { documentId: string } | null };

export type FlatLesson = SyllabusEntry & { moduleTitle: string; index: number };

/** The course's lessons in reading order (modules and lessons already sorted by `order`). */
export function flattenSyllabus(modules: ModuleLike[]): FlatLesson[] {
  const out: FlatLesson[] = [];
  for (const module of modules) for (const lesson of module.lessons) out.push({ ...lesson, moduleTitle: module.title, index: out.length });
  return out;
}

export function neighbours<T extends { slug: string }>(lessons: T[], slug: string) {
  const index = lessons.findIndex((lesson) => lesson.slug === slug);
  return {
    index,
    previous: index > 0 ? lessons[index - 1] : undefined,
    next: index >= 0 && index < lessons.length - 1 ? lessons[index + 1] : undefined,
  };
}

/** Progress rows by lesson documentId. */
export const progressByLesson = <P extends ProgressLike>(rows: P[]) =>
  new Map(rows.filter((row) => row.lesson).map((row) => [row.lesson!.documentId, row] as const));

export function progressSummary(lessons: { documentId: string }[], rows: ProgressLike[]) {
  const byLesson = progressByLesson(rows);
  const completed = lessons.filter((lesson) => byLesson.get(lesson.documentId)?.completedAt).length;
  const total = lessons.length;
  return { completed, total, percent: total === 0 ? 0 : Math.round((completed / total) * 100), done: total > 0 && completed === total };
}

const time = (value?: string | null) => (value ? Date.parse(value) || 0 : 0);

/**
 * Where to pick the course up: the lesson last worked on if it isn't finished, else the first
 * unfinished lesson after it, else the first unfinished lesson at all, else the first lesson.
 */
export function continueLesson<T extends { documentId: string }>(lessons: T[], rows: ProgressLike[]): T | undefined {
  if (lessons.length === 0) return undefined;
  const byLesson = progressByLesson(rows);
  const latest = rows.filter((row) => row.lesson).toSorted((a, b) => time(b.updatedAt) - time(a.updatedAt))[0];
  const unfinished = (lesson: T) => !byLesson.get(lesson.documentId)?.completedAt;
  if (latest?.lesson) {
    const at = lessons.findIndex((lesson) => lesson.documentId === latest.lesson!.documentId);
    if (at >= 0) {
      if (!latest.completedAt) return lessons[at];
      const after = lessons.slice(at + 1).find(unfinished);
      if (after) return after;
    }
  }
  return lessons.find(unfinished) ?? lessons[0];
}

/** The most recently touched progress row overall (the dashboard's "continue where you left off"). */
export const latestProgress = <P extends ProgressLike>(rows: P[]): P | undefined =>
  rows.filter((row) => row.lesson).toSorted((a, b) => time(b.updatedAt) - time(a.updatedAt))[0];
