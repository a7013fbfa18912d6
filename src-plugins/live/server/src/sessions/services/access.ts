import type { Core } from '@strapi/strapi';
import { COURSE_UID, ENROLLMENT_UID, INSTRUCTOR_UID, OWN_SESSIONS_CONDITION, SESSION_ACTIONS, SESSION_UID, type SessionAction } from '../constants';
import { forbidden, HttpError } from '../../utils/http';
import type { Ctx } from '../../utils/http';

export type AdminActor = { kind: 'admin'; user: { id: number; firstname?: string | null; lastname?: string | null; email: string }; ability: any };
export type StudentActor = { kind: 'student'; user: { id: number; username?: string; email?: string } };
export type Actor = AdminActor | StudentActor | { kind: 'anonymous' };

/** Who is calling: an admin-panel user (mentor, admin), a site user (student), or nobody. */
export function actorOf(ctx: Ctx): Actor {
  const user = ctx.state.user as any;
  if (!user?.id) return { kind: 'anonymous' };
  if (ctx.state.liveAdmin) return { kind: 'admin', user, ability: ctx.state.userAbility };
  return { kind: 'student', user };
}

const VERBS: Record<SessionAction, string> = {
  [SESSION_ACTIONS.read]: 'view',
  [SESSION_ACTIONS.create]: 'schedule',
  [SESSION_ACTIONS.update]: 'edit',
  [SESSION_ACTIONS.delete]: 'cancel',
  [SESSION_ACTIONS.control]: 'start or end',
  [SESSION_ACTIONS.streamKey]: 'see the stream key of',
  [SESSION_ACTIONS.moderateChat]: 'moderate the chat of',
};

export const adminDisplayName = (user: { firstname?: string | null; lastname?: string | null; email?: string } | null | undefined) =>
  user ? [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email || 'Mentor' : 'Mentor';

/**
 * Admin RBAC for live sessions. The actions are plugin::live.sessions.*; the Mentor role holds
 * them with the "own live sessions" condition (instructor = the mentor), super-admins without.
 * Checks go through Strapi's permissions manager so a role edited in Settings → Roles is honoured.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const manager = (actor: AdminActor, action: SessionAction) =>
    (strapi.service('admin::permission') as any).createPermissionsManager({ ability: actor.ability, action, model: SESSION_UID });

  const requireAdmin = (actor: Actor, action: SessionAction): AdminActor => {
    if (actor.kind === 'admin') return actor;
    if (actor.kind === 'anonymous') throw new HttpError(401, 'UnauthorizedError', 'Sign in to the admin panel to manage live sessions');
    throw forbidden(`Students can't ${VERBS[action]} live sessions`);
  };

  return {
    actorOf,

    /** The actor may use `action` on some sessions; throws 401/403 otherwise. */
    requireAction(actor: Actor, action: SessionAction): AdminActor {
      const admin = requireAdmin(actor, action);
      if (!manager(admin, action).isAllowed) throw forbidden(`You don't have permission to ${VERBS[action]} live sessions`);
      return admin;
    },

    /** A filter (query-engine `where`) limiting a query to the sessions the actor may use `action` on. */
    sessionFilter(actor: Actor, action: SessionAction): Record<string, unknown> {
      const admin = this.requireAction(actor, action);
      return manager(admin, action).getQuery() ?? {};
    },

    /** May the actor use `action` on every session (super-admin), or only their own (mentor)? */
    scope(actor: Actor, action: SessionAction): 'all' | 'own' {
      const admin = this.requireAction(actor, action);
      const pm = manager(admin, action);
      return pm.ability.can(action, pm.toSubject({ instructor: { id: -1 } })) ? 'all' : 'own';
    },

    /** Throws 403 unless the actor may use `action` on this session (instructor populated). */
    requireSession(actor: Actor, action: SessionAction, session: { instructor?: { id: number } | null }): AdminActor {
      const admin = this.requireAction(actor, action);
      const pm = manager(admin, action);
      if (!pm.ability.can(action, pm.toSubject({ instructor: { id: session.instructor?.id ?? null } }))) {
        throw forbidden(`Only the session's mentor or an admin can ${VERBS[action]} this session`);
      }
      return admin;
    },

    /** May this admin actor use `action` on this session? (No throw: for join, which students also reach.) */
    canOnSession(actor: AdminActor, action: SessionAction, session: { instructor?: { id: number } | null }): boolean {
      const pm = manager(actor, action);
      return pm.ability.can(action, pm.toSubject({ instructor: { id: session.instructor?.id ?? null } }));
    },

    /** The published course the actor may schedule for: any (all scope) or one they teach. */
    async courseForScheduling(actor: AdminActor, courseDocumentId: string, scope: 'all' | 'own') {
      const course: any = await strapi.db.query(COURSE_UID).findOne({
        where: { documentId: courseDocumentId, publishedAt: { $notNull: true } },
        select: ['id', 'documentId', 'title', 'slug'],
      });
      if (!course) return null;
      if (scope === 'all') return course;
      const taught = await strapi.db.query(INSTRUCTOR_UID).count({
        where: { adminUser: { id: actor.user.id }, courses: { documentId: courseDocumentId } },
      });
      if (taught === 0) throw forbidden('You can only schedule live classes for courses you teach');
      return course;
    },

    /** Courses offered in the panel's "schedule a class" form. */
    async schedulableCourses(actor: Actor) {
      const scope = this.scope(actor, SESSION_ACTIONS.create);
      const where: Record<string, unknown> = { publishedAt: { $notNull: true } };
      if (scope === 'own') {
        const admin = actor as AdminActor;
        const instructors = await strapi.db.query(INSTRUCTOR_UID).findMany({ where: { adminUser: { id: admin.user.id } }, select: ['id'] });
        where.instructors = { id: { $in: instructors.map((i: any) => i.id) } };
      }
      const courses = await strapi.db.query(COURSE_UID).findMany({ where, select: ['documentId', 'title', 'slug'], orderBy: { title: 'asc' } });
      // Draft & publish keeps a draft and a published row per course: one entry each.
      return [...new Map(courses.map((c: any) => [c.documentId, { documentId: c.documentId, title: c.title, slug: c.slug }])).values()];
    },

    /** Active admin users who can run sessions (mentors and super-admins), for super-admins' form. */
    async instructorOptions(actor: Actor) {
      if (this.scope(actor, SESSION_ACTIONS.create) !== 'all') return [];
      const users = await strapi.db.query('admin::user').findMany({
        where: { isActive: true, roles: { code: { $in: ['skillyug-mentor', 'strapi-super-admin'] } } },
        select: ['id', 'firstname', 'lastname', 'email'],
        orderBy: { firstname: 'asc' },
      });
      return users.map((u: any) => ({ id: u.id as number, name: adminDisplayName(u) }));
    },

    /** Does the student hold an active enrollment in the course? */
    async isEnrolled(userId: number, courseDocumentId: string): Promise<boolean> {
      const count = await strapi.db.query(ENROLLMENT_UID).count({
        where: { userCourseKey: `${userId}:${courseDocumentId}`, state: 'active' },
      });
      return count > 0;
    },

    /** The Mentor admin role's live permissions (cms/src/bootstrap/admin-roles.ts applies them). */
    mentorPermissions() {
      return Object.values(SESSION_ACTIONS).map((action) => ({ action, conditions: [OWN_SESSIONS_CONDITION] }));
    },
  };
};
