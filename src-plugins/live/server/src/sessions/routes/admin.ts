import { SESSION_ACTIONS } from '../constants';

const can = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});

/** Admin-panel routes at /live/…: the stream key (owner and super-admins only) and the scheduling form. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/sessions/:id/stream-key', handler: 'streamKeys.show', config: can(SESSION_ACTIONS.streamKey) },
    { method: 'POST', path: '/sessions/:id/stream-key', handler: 'streamKeys.regenerate', config: can(SESSION_ACTIONS.streamKey) },
    { method: 'GET', path: '/session-options', handler: 'streamKeys.options', config: can(SESSION_ACTIONS.create) },
  ],
};
