import { SESSION_ACTIONS } from '../../sessions/constants';
import { adminAction as can } from '../../utils/admin-route';

/** Admin-panel routes at /live/…: a class's recording, publish as a lesson, retry, delete. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/sessions/:id/recording', handler: 'recordingsPanel.forSession', config: can(SESSION_ACTIONS.read) },
    { method: 'POST', path: '/recordings/:id/publish', handler: 'recordingsPanel.publish', config: can(SESSION_ACTIONS.update) },
    { method: 'POST', path: '/recordings/:id/retry', handler: 'recordingsPanel.retry', config: can(SESSION_ACTIONS.update) },
    { method: 'DELETE', path: '/recordings/:id', handler: 'recordingsPanel.remove', config: can(SESSION_ACTIONS.delete) },
  ],
};
