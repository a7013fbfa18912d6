import { mentorOrStudentRoute } from '../auth';
import { jsonBody } from '../../utils/routes';
import { createSessionBody, updateSessionBody, listSessionsQuery, upcomingQuery } from '../contracts';

/**
 * /api/live/… — the seed's live API. Mentors and admins call it with their admin-panel token,
 * students with their site token (see ../auth.ts); per-session rights are checked in the
 * services. Students' actions (join, leave, upcoming) are granted in cms/src/bootstrap/site-roles.ts,
 * so a student reaching a mentor route gets users-permissions' 403.
 */
const shared = mentorOrStudentRoute;
const json = jsonBody;

export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/sessions', handler: 'sessions.find', config: shared(), request: { query: listSessionsQuery.shape } },
    { method: 'POST', path: '/sessions', handler: 'sessions.create', config: shared(), request: json(createSessionBody) },
    { method: 'GET', path: '/sessions/:id', handler: 'sessions.findOne', config: shared() },
    { method: 'PUT', path: '/sessions/:id', handler: 'sessions.update', config: shared(), request: json(updateSessionBody) },
    { method: 'DELETE', path: '/sessions/:id', handler: 'sessions.delete', config: shared() },
    { method: 'POST', path: '/sessions/:id/start', handler: 'sessions.start', config: shared() },
    { method: 'POST', path: '/sessions/:id/end', handler: 'sessions.end', config: shared() },
    { method: 'GET', path: '/sessions/:id/status', handler: 'sessions.status', config: shared() },
    { method: 'GET', path: '/sessions/:id/join', handler: 'attendance.join', config: shared() },
    { method: 'POST', path: '/sessions/:id/leave', handler: 'attendance.leave', config: shared() },
    { method: 'GET', path: '/sessions/:id/viewers', handler: 'attendance.viewers', config: shared() },
    { method: 'GET', path: '/sessions/:id/attendance', handler: 'attendance.attendanceList', config: shared() },
    { method: 'GET', path: '/sessions/:id/analytics', handler: 'liveAnalytics.session', config: shared() },
    { method: 'GET', path: '/analytics/dashboard', handler: 'liveAnalytics.dashboard', config: shared() },
    { method: 'GET', path: '/me/attended', handler: 'attendance.attended', config: shared() },
    { method: 'GET', path: '/upcoming', handler: 'sessions.upcoming', config: shared(), request: { query: upcomingQuery.shape } },
    // Authenticated by their own secrets: the EventBridge header, the viewer's playback token.
    { method: 'POST', path: '/events/ivs', handler: 'streamEvents.ivs', config: { auth: false, policies: [] } },
    { method: 'GET', path: '/play/:stream', handler: 'playback.flv', config: { auth: false, policies: [] } },
  ],
};
