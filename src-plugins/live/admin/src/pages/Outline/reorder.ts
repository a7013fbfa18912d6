import type { OutlineModule } from '../../api/outline';

/**
 * The outline's moves as pure functions over its modules (each returns a new array and leaves its
 * input alone). A place is given as "before this item" (null: at the end), which stays right
 * whatever is taken out of the list first.
 */

/** Moves a module before another one (or to the end). */
export function moveModule(modules: OutlineModule[], moduleId: string, beforeModuleId: string | null): OutlineModule[] {
  const moving = modules.find((module) => module.documentId === moduleId);
  if (!moving || moduleId === beforeModuleId) return modules;
  const rest = modules.filter((module) => module !== moving);
  const at = beforeModuleId === null ? rest.length : rest.findIndex((module) => module.documentId === beforeModuleId);
  if (at < 0) return modules;
  return [...rest.slice(0, at), moving, ...rest.slice(at)];
}

/** Moves a lesson into a module (its own or another), before one of that module's lessons (or to its end). */
export function moveLesson(modules: OutlineModule[], lessonId: string, toModuleId: string, beforeLessonId: string | null): OutlineModule[] {
  const lesson = modules.flatMap((module) => module.lessons).find((l) => l.documentId === lessonId);
  if (!lesson || lessonId === beforeLessonId || !modules.some((module) => module.documentId === toModuleId)) return modules;
  const without = modules.map((module) => ({ ...module, lessons: module.lessons.filter((l) => l.documentId !== lessonId) }));
  return without.map((module) => {
    if (module.documentId !== toModuleId) return module;
    const at = beforeLessonId === null ? module.lessons.length : module.lessons.findIndex((l) => l.documentId === beforeLessonId);
    const index = at < 0 ? module.lessons.length : at;
    return { ...module, lessons: [...module.lessons.slice(0, index), lesson, ...module.lessons.slice(index)] };
  });
}

/** "Move up" for a module: before the one above it. Null at the top. */
export function moduleUp(modules: OutlineModule[], moduleId: string) {
  const index = modules.findIndex((module) => module.documentId === moduleId);
  return index > 0 ? moveModule(modules, moduleId, modules[index - 1].documentId) : null;
}

/** "Move down" for a module: after the one below it. Null at the bottom. */
export function moduleDown(modules: OutlineModule[], moduleId: string) {
  const index = modules.findIndex((module) => module.documentId === moduleId);
  if (index < 0 || index === modules.length - 1) return null;
  return moveModule(modules, moduleId, modules[index + 2]?.documentId ?? null);
}

/** Where a lesson is: its module's index and its own index there. */
export function findLesson(modules: OutlineModule[], lessonId: string) {
  for (let m = 0; m < modules.length; m += 1) {
    const l = modules[m].lessons.findIndex((lesson) => lesson.documentId === lessonId);
    if (l >= 0) return { moduleIndex: m, lessonIndex: l };
  }
  return null;
}

/**
 * "Move up" for a lesson: above the previous lesson, or from the top of its module to the end
 * of the module above (so a keyboard alone can move a lesson between modules). Null at the very top.
 */
export function lessonUp(modules: OutlineModule[], lessonId: string) {
  const at = findLesson(modules, lessonId);
  if (!at) return null;
  const module = modules[at.moduleIndex];
  if (at.lessonIndex > 0) return moveLesson(modules, lessonId, module.documentId, module.lessons[at.lessonIndex - 1].documentId);
  const above = modules[at.moduleIndex - 1];
  return above ? moveLesson(modules, lessonId, above.documentId, null) : null;
}

/** "Move down" for a lesson: below the next one, or to the top of the module below. Null at the very bottom. */
export function lessonDown(modules: OutlineModule[], lessonId: string) {
  const at = findLesson(modules, lessonId);
  if (!at) return null;
  const module = modules[at.moduleIndex];
  if (at.lessonIndex < module.lessons.length - 1) {
    return moveLesson(modules, lessonId, module.documentId, module.lessons[at.lessonIndex + 2]?.documentId ?? null);
  }
  const below = modules[at.moduleIndex + 1];
  return below ? moveLesson(modules, lessonId, below.documentId, below.lessons[0]?.documentId ?? null) : null;
}

/** Where a move put a lesson, in words a screen reader announces. */
export function describeLessonPlace(modules: OutlineModule[], lessonId: string) {
  const at = findLesson(modules, lessonId);
  if (!at) return '';
  const module = modules[at.moduleIndex];
  return `position ${at.lessonIndex + 1} of ${module.lessons.length} in “${module.title}”`;
}
