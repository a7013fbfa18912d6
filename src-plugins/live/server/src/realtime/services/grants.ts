import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { REALTIME_PATH, type AuthorRole, type Capability, type RealtimeGrant } from '../contracts';
import { REALTIME_TOKEN_TTL_SECONDS } from '../constants';
import { signRealtimeToken, type RealtimeClaims } from '../token';
import { isBanned } from '../store';
import { realtimeService } from './registry';
import { derivedSecret } from '../../utils/signed-token';
import { forbidden, HttpError } from '../../utils/http';
import { SESSION_ACTIONS } from '../../sessions/constants';
import { adminDisplayName, type Actor } from '../../sessions/services/access';
import { liveService } from '../../sessions/services/registry';
import { requireSession, type SessionRow } from '../../sessions/store';

/** Someone in a class's chat, whichever way they came (socket token or REST with their own token). */
export type Participant = Omit<RealtimeClaims, 'sessionId' | 'expiresAt'>;

export const realtimeSecret = () => derivedSecret(loadEnv('cms'), 'realtime');

/** The name students see: the display name, else the part of the email before @ (never the whole address). */
export const studentName = (user: { displayName?: string | null; email?: string | null }) =>
  user.displayName?.trim() || String(user.email ?? '').split('@')[0] || 'Student';

/**
 * Who may take part in a class's chat, and with which capabilities: enrolled students (not
 * banned) read and send; the session's mentor and admins holding `chat.moderate` on it also
 * moderate; other admins who may read the session read and send. Callers have already checked
 * the session itself (join: enrollment or the panel's read right).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The participant for an actor; throws 401/403 (banned, not enrolled, no right on the session). */
  async participant(actor: Actor, row: SessionRow, { enrollmentChecked = false } = {}): Promise<Participant> {
    if (actor.kind === 'anonymous') throw new HttpError(401, 'UnauthorizedError', 'Sign in to take part in this class');
    const access = liveService(strapi, 'liveAccess');
    if (actor.kind === 'student') {
      if (!enrollmentChecked && !(await access.isEnrolled(actor.user.id, row.courseDocumentId))) {
        throw forbidden("Enroll in this class's course to take part in it", { session: row.documentId });
      }
      if (await isBanned(strapi, row.id, actor.user.id)) {
        // `details.reason` lets the classroom say why instead of offering to enroll.
        throw new HttpError(403, 'ForbiddenError', 'You were removed from this class by its mentor', { reason: 'banned' }, { session: row.documentId, reason: 'banned' });
      }
      return { userId: actor.user.id, kind: 'student', role: 'student', name: studentName(actor.user as any), capabilities: ['read', 'send'] };
    }
    const withInstructor = row.instructor === undefined ? await requireSession(strapi, row.documentId) : row;
    if (!access.canOnSession(actor, SESSION_ACTIONS.read, withInstructor)) {
      throw forbidden("Only the session's mentor or an admin can take part in this class from the panel", { session: row.documentId });
    }
    const role: AuthorRole = withInstructor.instructor?.id === actor.user.id ? 'mentor' : 'admin';
    const capabilities: Capability[] = ['read', 'send'];
    if (access.canOnSession(actor, SESSION_ACTIONS.moderateChat, withInstructor)) capabilities.push('moderate');
    return { userId: actor.user.id, kind: 'admin', role, name: adminDisplayName(actor.user), capabilities };
  },

  /** A short-lived token for this participant and session, and where to connect. */
  grant(participant: Participant, row: SessionRow, now = Date.now()): RealtimeGrant {
    const expiresAt = Math.floor(now / 1000) + REALTIME_TOKEN_TTL_SECONDS;
    const token = signRealtimeToken(realtimeSecret(), { ...participant, sessionId: row.documentId, expiresAt });
    return { url: new URL(loadEnv('cms').PUBLIC_URL).origin, path: REALTIME_PATH, token, expiresAt: new Date(expiresAt * 1000).toISOString(), capabilities: participant.capabilities };
  },

  /** For join: a grant while the class is SCHEDULED or LIVE, none after. */
  async forJoin(actor: Actor, row: SessionRow): Promise<RealtimeGrant | null> {
    if (row.status !== 'SCHEDULED' && row.status !== 'LIVE') return null;
    const participant = await this.participant(actor, row, { enrollmentChecked: true });
    // CHAT_PROVIDER=ivs-chat: an IVS chat token to send with (none: send over the socket).
    const ivsChat = await realtimeService(strapi, 'realtimeChatRooms').grantFor(row, participant);
    return { ...this.grant(participant, row), ...(ivsChat ? { ivsChat } : {}) };
  },
});
