import { mentorOrStudentRoute } from '../../sessions/auth';
import { pastClassesQuery } from '../contracts';

/**
 * /api/live/… — recordings for the site and the panel's preview. Students hold the actions
 * (cms/src/bootstrap/site-roles.ts; visitors too, for past classes and preview lessons); who may
 * watch which recording is the service's check (enrolment, the class's mentor, preview lessons).
 */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/past-classes', handler: 'recordings.pastClasses', config: mentorOrStudentRoute(), request: { query: pastClassesQuery.shape } },
    { method: 'GET', path: '/recordings/:id', handler: 'recordings.findOne', config: mentorOrStudentRoute() },
    { method: 'GET', path: '/recordings/:id/timeline', handler: 'recordings.timeline', config: mentorOrStudentRoute() },
    // Authenticated by their own signatures: a player can't send an Authorization header.
    { method: 'GET', path: '/recordings/:id/hls/:path(.*)', handler: 'recordings.hls', config: { auth: false, policies: [] } },
    // @koa/router answers HEAD on GET routes (the controller sends headers only).
    { method: 'GET', path: '/files/:key(.*)', handler: 'recordings.file', config: { auth: false, policies: [] } },
  ],
};
