import { z } from 'zod';
import type { Env } from '@skillyug/config';
import { derivedSecret, signToken, verifyToken } from '@skillyug/live/utils/signed-token';
import { documentId } from '@skillyug/live/utils/schemas';

/**
 * Draft-preview tokens: the admin's Preview button (cms/config/admin.ts) gets a site URL carrying
 * one, the site hands it back to `GET /api/previews/course` (cms/src/api/preview), which answers
 * the draft course it names. HMAC-signed with a secret of their own (derived from
 * DATA_ENCRYPTION_KEY for this purpose only), short-lived, and naming one course: a token leaked
 * from a browser's history opens one course's draft for at most PREVIEW_TOKEN_TTL_SECONDS.
 */

export const PREVIEW_TOKEN_TTL_SECONDS = 10 * 60;
const SECRET_LABEL = 'skillyug preview';
const PURPOSE = 'preview';

/** The content types a preview can start from: all three open their course's draft. */
export const PREVIEWABLE_TYPES = ['api::course.course', 'api::module.module', 'api::lesson.lesson'] as const;
export type PreviewableType = (typeof PREVIEWABLE_TYPES)[number];
export const isPreviewable = (uid: string): uid is PreviewableType => (PREVIEWABLE_TYPES as readonly string[]).includes(uid);

const payloadSchema = z
  .object({
    uid: z.enum(PREVIEWABLE_TYPES),
    documentId: documentId(),
    courseDocumentId: documentId('a course id'),
    /** Unix seconds. */
    exp: z.number().int().positive(),
  })
  .strict();

export type PreviewGrant = { uid: PreviewableType; documentId: string; courseDocumentId: string; expiresAt: Date };

export type PreviewTokenCheck = { ok: true; grant: PreviewGrant } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

const secretOf = (env: Env) => derivedSecret(env, SECRET_LABEL);

export function signPreviewToken(
  env: Env,
  subject: { uid: PreviewableType; documentId: string; courseDocumentId: string },
  nowMs: number = Date.now()
): { token: string; expiresAt: Date } {
  const exp = Math.floor(nowMs / 1000) + PREVIEW_TOKEN_TTL_SECONDS;
  const token = signToken(secretOf(env), PURPOSE, { uid: subject.uid, documentId: subject.documentId, courseDocumentId: subject.courseDocumentId, exp });
  return { token, expiresAt: new Date(exp * 1000) };
}

/** Signature, shape and expiry. Never throws, whatever `token` is. */
export function verifyPreviewToken(env: Env, token: unknown, nowMs: number = Date.now()): PreviewTokenCheck {
  const checked = verifyToken(secretOf(env), PURPOSE, token);
  if (!checked.ok) return { ok: false, reason: checked.reason === 'missing' ? 'missing' : 'invalid' };
  const payload = payloadSchema.safeParse(checked.payload);
  if (!payload.success) return { ok: false, reason: 'invalid' };
  const { uid, documentId, courseDocumentId, exp } = payload.data;
  if (exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, grant: { uid, documentId, courseDocumentId, expiresAt: new Date(exp * 1000) } };
}
