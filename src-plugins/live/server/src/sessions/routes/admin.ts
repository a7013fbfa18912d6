import { SESSION_ACTIONS } from '../constants';
import { adminAction as can } from '../../utils/admin-route';

/** Admin-panel routes at /live/…: the stream key (owner and super-admins only) and the scheduling form. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/sessions/:id/stream-key', handler: 'panel.streamKey', config: can(SESSION_ACTIONS.streamKey) },
    { method: 'POST', path: '/sessions/:id/stream-key', handler: 'panel.regenerateStreamKey', config: can(SESSION_ACTIONS.streamKey) },
    { method: 'GET', path: '/session-options', handler: 'panel.sessionOptions', config: can(SESSION_ACTIONS.create) },
  ],
};
