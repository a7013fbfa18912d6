import { mentorOrStudentRoute } from '../../sessions/auth';
import { jsonBody } from '../../utils/routes';
import { chatHistoryQuery, chatPostBody, moderationBody, pollDraftBody } from '../contracts';

/**
 * /api/live/sessions/:id/chat and …/moderation: shared by students (site token) and mentors and
 * admins (admin token), like the rest of /api/live (see sessions/routes/content-api.ts); who may
 * do what on which session is decided in the services. The socket.io server is not a route: it
 * answers REALTIME_PATH on the same port (services/gateway.ts).
 */
const shared = mentorOrStudentRoute;
const json = jsonBody;

export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/sessions/:id/chat', handler: 'chat.history', config: shared(), request: { query: chatHistoryQuery.shape } },
    { method: 'POST', path: '/sessions/:id/chat', handler: 'chat.send', config: shared(), request: json(chatPostBody) },
    { method: 'POST', path: '/sessions/:id/moderation', handler: 'chat.moderate', config: shared(), request: json(moderationBody) },
    { method: 'GET', path: '/sessions/:id/moderation', handler: 'chat.moderationLog', config: shared() },
    { method: 'GET', path: '/sessions/:id/questions', handler: 'classroom.questions', config: shared() },
    { method: 'GET', path: '/sessions/:id/polls', handler: 'classroom.polls', config: shared() },
    { method: 'POST', path: '/sessions/:id/polls', handler: 'classroom.createPoll', config: shared(), request: json(pollDraftBody) },
    { method: 'PUT', path: '/sessions/:id/polls/:pollId', handler: 'classroom.updatePoll', config: shared(), request: json(pollDraftBody) },
    { method: 'DELETE', path: '/sessions/:id/polls/:pollId', handler: 'classroom.deletePoll', config: shared() },
    { method: 'POST', path: '/sessions/:id/polls/:pollId/launch', handler: 'classroom.launchPoll', config: shared() },
    { method: 'POST', path: '/sessions/:id/polls/:pollId/close', handler: 'classroom.closePoll', config: shared() },
    { method: 'POST', path: '/sessions/:id/polls/:pollId/reveal', handler: 'classroom.revealPoll', config: shared() },
    { method: 'POST', path: '/sessions/:id/signals', handler: 'classroom.signal', config: shared() },
  ],
};
