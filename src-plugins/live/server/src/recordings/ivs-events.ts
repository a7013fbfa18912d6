import { z } from 'zod';
import { ivsEventEnvelope } from '../sessions/providers/ivs/events';

/** What an "IVS Recording State Change" event says, as the recordings service applies it. */
export type IvsRecordingEvent = {
  channelArn: string;
  type: 'started' | 'ended' | 'failed';
  /** IVS's words: Recording Start, Recording End, Recording Start Failure, Recording End Failure. */
  status: string;
  at: Date;
  eventId: string;
  bucket: string;
  /** The recording's S3 prefix, e.g. ivs/v1/<account>/<channel>/2026/12/2/10/5/<recordingId> (no trailing slash). */
  prefix: string;
  durationMs: number | null;
  recordingSessionId: string | null;
  reason: string | null;
};

export const RECORDING_STATE_CHANGE = 'IVS Recording State Change';

const channelArn = z.string().regex(/^arn:aws[a-z-]*:ivs:[a-z0-9-]+:\d{12}:channel\/[A-Za-z0-9]+$/, 'must be an IVS channel ARN');
/** S3 bucket names (3–63 lower-case letters, digits, dots, hyphens) and the key prefix IVS writes under. */
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name');
const keyPrefix = z.string().min(1).max(900).regex(/^[A-Za-z0-9._/-]+$/, 'must be an S3 key prefix').refine((value) => !value.includes('..') && !value.startsWith('/'), 'must be a relative S3 key prefix');

const detail = z.object({
  recording_status: z.enum(['Recording Start', 'Recording End', 'Recording Start Failure', 'Recording End Failure']),
  recording_s3_bucket_name: bucketName,
  recording_s3_key_prefix: keyPrefix,
  recording_duration_ms: z.coerce.number().int().min(0).max(30 * 24 * 3600_000).optional(),
  recording_session_id: z.string().max(128).optional(),
  recording_status_reason: z.string().max(500).optional(),
  channel_name: z.string().optional(),
});

const TYPES: Record<z.infer<typeof detail>['recording_status'], IvsRecordingEvent['type']> = {
  'Recording Start': 'started',
  'Recording End': 'ended',
  'Recording Start Failure': 'failed',
  'Recording End Failure': 'failed',
};

/** Reads an "IVS Recording State Change" delivery; a message saying what is wrong otherwise. */
export function parseIvsRecordingEvent(body: unknown): { ok: true; event: IvsRecordingEvent } | { ok: false; message: string } {
  const envelope = ivsEventEnvelope.safeParse(body);
  if (!envelope.success || envelope.data['detail-type'] !== RECORDING_STATE_CHANGE) return { ok: false, message: 'Not an IVS Recording State Change event' };
  const arn = channelArn.safeParse(envelope.data.resources[0]);
  if (!arn.success) return { ok: false, message: 'IVS Recording State Change without a channel ARN in resources[0]' };
  const parsed = detail.safeParse(envelope.data.detail);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `IVS Recording State Change with a malformed detail: ${issue?.path.join('.') || 'detail'}: ${issue?.message}` };
  }
  const d = parsed.data;
  return {
    ok: true,
    event: {
      channelArn: arn.data,
      type: TYPES[d.recording_status],
      status: d.recording_status,
      at: new Date(envelope.data.time),
      eventId: envelope.data.id,
      bucket: d.recording_s3_bucket_name,
      prefix: d.recording_s3_key_prefix.replace(/\/+$/, ''),
      durationMs: d.recording_duration_ms ?? null,
      recordingSessionId: d.recording_session_id ?? null,
      reason: d.recording_status_reason ?? null,
    },
  };
}
