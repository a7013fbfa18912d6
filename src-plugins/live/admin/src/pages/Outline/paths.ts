/** Absolute admin paths of the course outline (react-router adds the admin's basename). */
export const OUTLINE_BASE = '/plugins/course-outline';
export const outlinePath = (courseId: string) => `${OUTLINE_BASE}/${encodeURIComponent(courseId)}`;

/** The content manager's edit view of a course, module or lesson (where every other field is edited). */
export const editViewPath = (type: 'course' | 'module' | 'lesson', documentId: string) =>
  `/content-manager/collection-types/api::${type}.${type}/${encodeURIComponent(documentId)}`;
