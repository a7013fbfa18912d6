/** An admin-panel route's config: a signed-in admin holding `action` (Settings → Roles). */
export const adminAction = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});
