import type { ErrorAck, ErrorCode } from './contracts';
import { HttpError } from '../utils/http';

/**
 * A refusal of the real-time layer, said once and delivered either way: as a socket ack
 * (`{ ok: false, error }`) or, for the chat's REST routes, as Strapi's error envelope.
 */
export class RealtimeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterSeconds?: number; until?: string } = {}
  ) {
    super(message);
  }

  toAck(): ErrorAck {
    return { ok: false, error: { code: this.code, message: this.message, ...this.extra } };
  }
}

const HTTP: Record<ErrorCode, [number, string]> = {
  'bad-request': [400, 'ValidationError'],
  'unknown-event': [400, 'ValidationError'],
  'too-large': [413, 'PayloadTooLargeError'],
  forbidden: [403, 'ForbiddenError'],
  'rate-limited': [429, 'TooManyRequestsError'],
  'slow-mode': [429, 'TooManyRequestsError'],
  muted: [403, 'ForbiddenError'],
  'not-live': [409, 'ConflictError'],
  'not-found': [404, 'NotFoundError'],
  unavailable: [503, 'ServiceUnavailableError'],
};

export function toHttpError(error: RealtimeError): HttpError {
  const [status, name] = HTTP[error.code];
  return new HttpError(status, name, error.message, { code: error.code, ...error.extra });
}
