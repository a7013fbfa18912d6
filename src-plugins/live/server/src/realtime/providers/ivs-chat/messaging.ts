/**
 * IVS Chat's messaging WebSocket, as its Messaging API reference documents it: what a client
 * sends (`SEND_MESSAGE`) and the frames it receives (MESSAGE, EVENT, ERROR). Shared by the
 * server's read-only connection and the site's sending transport (site/src/lib/ivs-chat-transport.ts).
 *
 * Browser-safe: zod and plain data only.
 */
import { z } from 'zod';

/** Room limits set on CreateRoom: IVS's maximum rate, and the length both providers allow. */
export const IVS_ROOM_MAX_MESSAGES_PER_SECOND = 10;
/** Chat connections last this long at most (IVS's limit); the server's reader renews before. */
export const IVS_MAX_SESSION_MINUTES = 180;
/** Token attributes: at most 1 KB in all. */
export const IVS_MAX_ATTRIBUTES_BYTES = 1024;

/** The reader's user id: a token without capabilities, so it can read but never send. */
export const IVS_RECORDER_USER_ID = 'skillyug-recorder';

/** `student-<id>` / `admin-<id>`: the two id spaces differ, so the kind is part of the id. */
export const ivsUserId = (kind: 'student' | 'admin', userId: number) => `${kind}-${userId}`;

/** The inverse of ivsUserId; null for anything else (the recorder, a foreign id). */
export function parseIvsUserId(value: string): { kind: 'student' | 'admin'; userId: number } | null {
  const match = /^(student|admin)-([1-9]\d{0,15})$/.exec(value);
  if (!match) return null;
  const userId = Number(match[2]);
  return Number.isSafeInteger(userId) ? { kind: match[1] as 'student' | 'admin', userId } : null;
}

const attributes = z.record(z.string(), z.string());

export const ivsSendMessage = z.object({
  Action: z.literal('SEND_MESSAGE'),
  RequestId: z.string().min(1).max(64),
  Content: z.string(),
  Attributes: attributes.optional(),
});
export type IvsSendMessage = z.infer<typeof ivsSendMessage>;

/** One frame IVS sends on the messaging WebSocket. Unknown extra fields are kept, not refused. */
export const ivsChatFrame = z.discriminatedUnion('Type', [
  z.looseObject({
    Type: z.literal('MESSAGE'),
    Id: z.string().min(1).max(128),
    RequestId: z.string().optional(),
    Content: z.string(),
    Attributes: attributes.optional(),
    SendTime: z.string(),
    Sender: z.looseObject({ UserId: z.string(), Attributes: attributes.optional() }),
  }),
  z.looseObject({
    Type: z.literal('EVENT'),
    Id: z.string().optional(),
    RequestId: z.string().optional(),
    EventName: z.string(),
    Attributes: attributes.optional(),
    SendTime: z.string().optional(),
  }),
  z.looseObject({
    Type: z.literal('ERROR'),
    Id: z.string().optional(),
    RequestId: z.string().optional(),
    ErrorCode: z.number().int(),
    ErrorMessage: z.string(),
  }),
]);
export type IvsChatFrame = z.infer<typeof ivsChatFrame>;

/** Parses a received frame; null for anything that isn't one (never throws). */
export function parseIvsChatFrame(raw: string): IvsChatFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = ivsChatFrame.safeParse(value);
  return parsed.success ? parsed.data : null;
}
