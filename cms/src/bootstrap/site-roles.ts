import type { Core } from '@strapi/strapi';

const PERMISSION_UID = 'plugin::users-permissions.permission';
const ROLE_UID = 'plugin::users-permissions.role';

const CATALOG_READ = ['category', 'course', 'module', 'lesson', 'instructor'].flatMap((name) => [
  `api::${name}.${name}.find`,
  `api::${name}.${name}.findOne`,
]);

const SIGN_IN = [
  'plugin::users-permissions.auth.callback',
  'plugin::users-permissions.auth.register',
  'plugin::users-permissions.auth.refresh',
  'plugin::users-permissions.account.verifyEmail',
  'plugin::users-permissions.account.resendCode',
  'plugin::users-permissions.account.forgotPassword',
  'plugin::users-permissions.account.resetPassword',
];

const STUDENT_OWN = [
  'plugin::users-permissions.user.me',
  'plugin::users-permissions.auth.changePassword',
  'plugin::users-permissions.account.updateProfile',
  'plugin::users-permissions.auth.refresh',
  'plugin::users-permissions.auth.logout',
  'plugin::users-permissions.auth.getSessions',
  'plugin::users-permissions.auth.revokeSession',
  'api::course.course.enroll',
  'api::enrollment.enrollment.find',
  'api::enrollment.enrollment.findOne',
  'api::lesson-progress.lesson-progress.find',
  'api::lesson-progress.lesson-progress.upsert',
  // Buying a course (src-plugins/live/server/src/payments); sandboxPay refuses itself outside development.
  'plugin::live.payments.createOrder',
  'plugin::live.payments.verify',
  'plugin::live.payments.listMine',
  'plugin::live.payments.findMine',
  'plugin::live.payments.sandboxPay',
  // Live classes (src-plugins/live/server/src/sessions): enrolment is checked per session by the service.
  'plugin::live.attendance.join',
  'plugin::live.attendance.leave',
  'plugin::live.sessions.upcoming',
  'plugin::live.attendance.attended',
  // Recordings (src-plugins/live/server/src/recordings): who may watch which one is checked per recording.
  'plugin::live.recordings.pastClasses',
  'plugin::live.recordings.findOne',
  'plugin::live.recordings.timeline',
  // The class's chat (src-plugins/live/server/src/realtime): enrolment and bans are checked per session.
  'plugin::live.chat.history',
  'plugin::live.chat.send',
  'plugin::live.classroom.questions',
  'plugin::live.classroom.polls',
  'plugin::live.classroom.signal',
];

/**
 * The site's roles and exactly what each may do. Declarative: every start makes the
 * database match this table, adding what is missing and removing what isn't listed.
 * `authenticated` mirrors `student` so a user moved there by hand keeps working.
 */
export const SITE_ROLES: Record<string, { name: string; description: string; actions: string[] }> = {
  public: { name: 'Public', description: 'Visitors who are not signed in', actions: [...CATALOG_READ, ...SIGN_IN, 'plugin::live.sessions.upcoming', 'plugin::live.recordings.pastClasses', 'plugin::live.recordings.findOne', 'plugin::live.recordings.timeline'] },
  student: { name: 'Student', description: 'Learners: the role every sign-up gets', actions: [...CATALOG_READ, ...STUDENT_OWN] },
  authenticated: { name: 'Authenticated', description: 'Same rights as Student', actions: [...CATALOG_READ, ...STUDENT_OWN] },
};

export async function ensureSiteRoles(strapi: Core.Strapi) {
  for (const [type, role] of Object.entries(SITE_ROLES)) {
    let record = await strapi.db.query(ROLE_UID).findOne({ where: { type } });
    if (!record) {
      record = await strapi.db.query(ROLE_UID).create({ data: { type, name: role.name, description: role.description } });
    }
    const current = await strapi.db.query(PERMISSION_UID).findMany({ where: { role: record.id }, select: ['id', 'action'] });
    const have = new Set(current.map((p: any) => p.action));
    const want = new Set(role.actions);
    const stale = current.filter((p: any) => !want.has(p.action)).map((p: any) => p.id);
    if (stale.length) await strapi.db.query(PERMISSION_UID).deleteMany({ where: { id: { $in: stale } } });
    for (const action of want) {
      if (!have.has(action)) await strapi.db.query(PERMISSION_UID).create({ data: { action, role: record.id } });
    }
  }

  // Sign-ups become students, and sign in only once their email is verified.
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = ((await store.get({ key: 'advanced' })) ?? {}) as Record<string, unknown>;
  const wanted = { default_role: 'student', email_confirmation: true, unique_email: true, allow_register: true };
  if (Object.entries(wanted).some(([key, value]) => advanced[key] !== value)) {
    await store.set({ key: 'advanced', value: { ...advanced, ...wanted } });
  }
}
