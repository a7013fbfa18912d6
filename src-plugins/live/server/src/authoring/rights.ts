import { forbidden } from '../utils/http';
import type { OutlineRights } from './contracts';
import { COURSE_UID, LESSON_UID, MODULE_UID } from './store';

/**
 * Who may do what in the outline: the caller's own content-manager permissions (Settings → Roles),
 * so the outline grants nothing the content manager wouldn't. Editors author and publish the
 * catalog; mentors read it (the product's rule: editors own the catalog), so every write is 403 for them.
 */
const CM = 'plugin::content-manager.explorer';

export type CmAction = 'read' | 'create' | 'update' | 'delete' | 'publish';

/** The admin's CASL ability (ctx.state.userAbility), as much of it as the outline asks. */
export type Ability = { can(action: string, subject?: unknown, field?: string): boolean };

/** The admin-panel user calling the outline. */
export type OutlineActor = { userId: number; ability: Ability };

const allows = (ability: Ability, action: CmAction, uids: readonly string[]) => uids.every((uid) => ability.can(`${CM}.${action}`, uid));

const OUTLINE_ITEMS = [MODULE_UID, LESSON_UID] as const;
const PUBLISHED_TOGETHER = [COURSE_UID, MODULE_UID, LESSON_UID] as const;

export function outlineRights(ability: Ability): OutlineRights {
  return {
    edit: (['create', 'update', 'delete'] as const).every((action) => allows(ability, action, OUTLINE_ITEMS)),
    publish: allows(ability, 'publish', PUBLISHED_TOGETHER),
  };
}

/** The content types an outline action touches, and how the refusal says it. */
const NEEDS = {
  read: { action: 'read', uids: [COURSE_UID], what: 'read courses' },
  addModule: { action: 'create', uids: [MODULE_UID], what: 'add modules' },
  renameModule: { action: 'update', uids: [MODULE_UID], what: 'rename modules' },
  removeModule: { action: 'delete', uids: [MODULE_UID], what: 'delete modules' },
  addLesson: { action: 'create', uids: [LESSON_UID], what: 'add lessons' },
  updateLesson: { action: 'update', uids: [LESSON_UID], what: 'change lessons' },
  removeLesson: { action: 'delete', uids: [LESSON_UID], what: 'delete lessons' },
  reorder: { action: 'update', uids: OUTLINE_ITEMS, what: 'reorder modules and lessons' },
  publish: { action: 'publish', uids: PUBLISHED_TOGETHER, what: 'publish or unpublish a course with its modules and lessons' },
} as const satisfies Record<string, { action: CmAction; uids: readonly string[]; what: string }>;

export type OutlineOperation = keyof typeof NEEDS;

/** Throws 403 unless the actor's permissions cover `operation`. */
export function requireRight(actor: OutlineActor, operation: OutlineOperation): void {
  const need = NEEDS[operation];
  if (allows(actor.ability, need.action, need.uids)) return;
  const hint = operation === 'read' ? '' : ': courses are edited by editors (mentors read them)';
  throw forbidden(`You don't have permission to ${need.what}${hint}`, { operation });
}
