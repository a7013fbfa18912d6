/** Lesson fields that only enrolled students (or preview visitors) may read. */
export const LESSON_UID = 'api::lesson.lesson';
export const PROTECTED_LESSON_FIELDS = ['body', 'video', 'recording'] as const;
