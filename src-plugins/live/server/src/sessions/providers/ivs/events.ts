import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { StreamEvent } from '../types';

/** The header the EventBridge API destination sends with the shared secret (IVS_EVENTS_SECRET). */
export const IVS_EVENTS_HEADER = 'x-ivs-events-secret';

/** IVS channel ARNs: arn:aws:ivs:<region>:<account>:channel/<id>. */
const channelArn = z.string().regex(/^arn:aws[a-z-]*:ivs:[a-z0-9-]+:\d{12}:channel\/[A-Za-z0-9]+$/, 'must be an IVS channel ARN');

/** The EventBridge envelope of every `aws.ivs` event. */
export const ivsEventEnvelope = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.literal('aws.ivs'),
  account: z.string(),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});

/** `IVS Stream State Change` detail. `channel_name` can be empty, so the ARN in `resources` is the key. */
export const ivsStreamStateDetail = z.object({
  event_name: z.string().min(1),
  channel_name: z.string().optional(),
  stream_id: z.string().optional(),
  reason: z.string().optional(),
  code: z.string().optional(),
});

export type IvsEventParseResult =
  | {
      ok: true;
      /** A start/end to apply, or null when the event changes nothing (recognized, nothing to do). */
      event: StreamEvent | null;
      detailType: string;
      /** For logs: the IVS event name, and IVS's reason/code where it gives one (Stream Failure…). */
      eventName?: string;
      reason?: string;
    }
  | { ok: false; message: string };

const STARTED = new Set(['Stream Start', 'Session Created']);
const ENDED = new Set(['Stream End', 'Session Ended']);

/**
 * Reads one EventBridge delivery. Delivery is best effort (missing, late, out of order), so the
 * result carries the envelope's `time` and `id` for the caller to order and de-duplicate on.
 */
export function parseIvsStreamEvent(body: unknown): IvsEventParseResult {
  const envelope = ivsEventEnvelope.safeParse(body);
  if (!envelope.success) return { ok: false, message: `Not an Amazon IVS EventBridge event: ${describeIssues(envelope.error)}` };
  const { id, time, resources, detail } = envelope.data;
  const detailType = envelope.data['detail-type'];

  if (detailType !== 'IVS Stream State Change') {
    // Recording State Change, Stream Health Change, Limit Breach…: valid, handled elsewhere or not at all.
    const eventName = typeof detail.event_name === 'string' ? detail.event_name : typeof detail.recording_status === 'string' ? detail.recording_status : undefined;
    return { ok: true, event: null, detailType, eventName };
  }

  const state = ivsStreamStateDetail.safeParse(detail);
  if (!state.success) return { ok: false, message: `IVS Stream State Change with a malformed detail: ${describeIssues(state.error)}` };
  const arn = channelArn.safeParse(resources[0]);
  if (!arn.success) return { ok: false, message: 'IVS Stream State Change without a channel ARN in resources[0]' };

  const { event_name: eventName, stream_id: streamId } = state.data;
  const reason = state.data.reason ?? state.data.code;
  const type = STARTED.has(eventName) ? 'started' : ENDED.has(eventName) ? 'ended' : null;
  if (!type) return { ok: true, event: null, detailType, eventName, reason };

  return {
    ok: true,
    detailType,
    eventName,
    reason,
    event: { channelId: arn.data, type, at: new Date(time), eventId: id, ...(streamId ? { streamId } : {}) },
  };
}

/**
 * Compares the header with the configured secret in constant time. Both sides are hashed first so
 * they have equal length (timingSafeEqual needs that) and the secret's length does not leak.
 */
export function checkEventsSecret(headerValue: string | undefined, secret: string): boolean {
  if (typeof headerValue !== 'string' || headerValue.length === 0 || !secret) return false;
  const given = createHash('sha256').update(headerValue).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
