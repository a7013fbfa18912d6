/**
 * Admin-panel routes at /live/outline/… for the course outline. Any signed-in admin reaches them;
 * what each may do follows their content-manager permissions, checked in the services (rights.ts):
 * editors edit and publish, mentors read (every write is 403 for them).
 */
const signedInAdmin = { policies: ['admin::isAuthenticatedAdmin'] };

export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/outline/courses', handler: 'outline.courses', config: signedInAdmin },
    { method: 'GET', path: '/outline/courses/:courseId', handler: 'outline.course', config: signedInAdmin },
    { method: 'POST', path: '/outline/courses/:courseId/modules', handler: 'outline.addModule', config: signedInAdmin },
    { method: 'PUT', path: '/outline/courses/:courseId/order', handler: 'outline.reorder', config: signedInAdmin },
    { method: 'POST', path: '/outline/courses/:courseId/publish', handler: 'outline.publish', config: signedInAdmin },
    { method: 'POST', path: '/outline/courses/:courseId/unpublish', handler: 'outline.unpublish', config: signedInAdmin },
    { method: 'PUT', path: '/outline/modules/:moduleId', handler: 'outline.renameModule', config: signedInAdmin },
    { method: 'DELETE', path: '/outline/modules/:moduleId', handler: 'outline.removeModule', config: signedInAdmin },
    { method: 'POST', path: '/outline/modules/:moduleId/lessons', handler: 'outline.addLesson', config: signedInAdmin },
    { method: 'PUT', path: '/outline/lessons/:lessonId', handler: 'outline.updateLesson', config: signedInAdmin },
    { method: 'DELETE', path: '/outline/lessons/:lessonId', handler: 'outline.removeLesson', config: signedInAdmin },
  ],
};
