import type { Core } from '@strapi/strapi';

const CATALOG = ['category', 'course', 'module', 'lesson', 'instructor'].map((name) => `api::${name}.${name}`);
const LEARNER_DATA = ['api::enrollment.enrollment', 'api::lesson-progress.lesson-progress'];

const CM = 'plugin::content-manager.explorer';
const UPLOAD_READ = [{ action: 'plugin::upload.read' }, { action: 'plugin::upload.assets.download' }];
const UPLOAD_WRITE = [
  { action: 'plugin::upload.configure-view' },
  { action: 'plugin::upload.assets.create' },
  { action: 'plugin::upload.assets.update' },
  { action: 'plugin::upload.assets.copy-link' },
];

export const MENTOR_ROLE_CODE = 'skillyug-mentor';

type Permission = { action: string; subject?: string; properties?: Record<string, unknown>; conditions?: string[] };

/** Content-manager permissions (with every field) for some actions on some content types. */
function contentPermissions(strapi: Core.Strapi, actions: string[], subjects: string[]): Permission[] {
  const { actionProvider } = strapi.service('admin::permission') as any;
  const wanted = actionProvider.values().filter((a: any) => actions.includes(a.actionId));
  return (strapi.service('admin::content-type') as any)
    .getPermissionsWithNestedFields(wanted)
    .filter((p: Permission) => subjects.includes(p.subject!));
}

/**
 * Admin-panel roles, set in code on every start (assignPermissions replaces the set):
 * Editors author and publish the catalog and can look at enrollments; Mentors read the
 * catalog (including lesson bodies) and run their live classes.
 */
export async function ensureAdminRoles(strapi: Core.Strapi) {
  const roles = strapi.service('admin::role') as any;

  let mentor = await roles.findOne({ code: MENTOR_ROLE_CODE });
  if (!mentor) {
    mentor = await roles.create({
      name: 'Mentor',
      code: MENTOR_ROLE_CODE,
      description: 'Mentors teach courses and run live classes.',
    });
  }
  await roles.assignPermissions(mentor.id, [
    ...contentPermissions(strapi, [`${CM}.read`], CATALOG),
    ...UPLOAD_READ,
    // Their own live classes: plugin::live.sessions.* with the "own live sessions" condition.
    ...(strapi.plugin('live')?.service('liveAccess')?.mentorPermissions() ?? []),
  ]);

  const editor = await roles.findOne({ code: 'strapi-editor' });
  if (editor) {
    await roles.assignPermissions(editor.id, [
      ...contentPermissions(strapi, [`${CM}.create`, `${CM}.read`, `${CM}.update`, `${CM}.delete`, `${CM}.publish`], CATALOG),
      ...contentPermissions(strapi, [`${CM}.read`], LEARNER_DATA),
      ...UPLOAD_READ,
      ...UPLOAD_WRITE,
    ]);
  }
  return { mentorRoleId: mentor.id as number };
}
