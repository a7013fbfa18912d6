/**
 * GET /api/previews/course?token= — the draft course a preview token names (services/preview.ts).
 * `auth: false`: no users-permissions role is consulted (and none holds a permission for it); the
 * token minted by the admin's preview handler is the credential, checked in the service.
 */
export default {
  routes: [{ method: 'GET', path: '/previews/course', handler: 'preview.course', config: { auth: false, policies: [] } }],
};
