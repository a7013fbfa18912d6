import { LiveProviderError } from '../types';

/**
 * Turns whatever the IVS SDK threw into a LiveProviderError a mentor can act on.
 *
 * `action` is the IVS API action that failed (e.g. 'CreateChannel'): it names the IAM permission
 * (`ivs:CreateChannel`) when access is denied and tells an operator which call went wrong.
 * Messages never carry request inputs, so stream keys, tokens and credentials cannot leak here.
 */
export function toLiveProviderError(error: unknown, action: string): LiveProviderError {
  if (error instanceof LiveProviderError) return error;
  const { name, message, httpStatus } = describeSdkError(error);

  switch (name) {
    case 'ThrottlingException':
      return new LiveProviderError('Amazon IVS is throttling requests; try again in a few seconds', 503, name);
    case 'ResourceNotFoundException':
      return new LiveProviderError(
        `The Amazon IVS channel or stream key no longer exists (${action}); it may have been deleted in the AWS console`,
        404,
        name
      );
    case 'AccessDeniedException':
      return new LiveProviderError(
        `The AWS credentials are not allowed to call ivs:${action}: add the "ivs:${action}" permission to their IAM policy`,
        502,
        name
      );
    case 'ServiceQuotaExceededException':
      return action === 'CreateChannel'
        ? new LiveProviderError(
            'Amazon IVS channel quota reached for this AWS account and region: delete unused channels or ask AWS for a higher quota',
            409,
            name
          )
        : new LiveProviderError(`Amazon IVS quota reached (${action}): ${message || 'ask AWS for a higher quota'}`, 409, name);
    case 'ValidationException':
      return new LiveProviderError(`Amazon IVS rejected the request (${action}): ${message || 'invalid input'}`, 502, name);
    case 'PendingVerification':
      return new LiveProviderError(
        'This AWS account is still pending verification for Amazon IVS; wait for AWS to finish verifying it, then try again',
        503,
        name
      );
    case 'ConflictException':
      return new LiveProviderError(
        `Amazon IVS refused the change because the channel is busy (${action}); try again in a moment`,
        409,
        name
      );
    case 'ChannelNotBroadcasting':
      return new LiveProviderError('The channel is not live right now', 409, name);
    case 'StreamUnavailable':
      return new LiveProviderError('The stream is unavailable on Amazon IVS right now; try again in a moment', 503, name);
    case 'InternalServerException':
    case 'ServiceUnavailable':
    case 'ServiceUnavailableException':
      return new LiveProviderError('Amazon IVS had an internal error; try again in a moment', 503, name);
    case 'CredentialsProviderError':
      return new LiveProviderError(
        'No AWS credentials were found for Amazon IVS: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance role)',
        502,
        name
      );
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new LiveProviderError('AWS rejected the configured credentials for Amazon IVS: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', 502, name);
  }

  if (isNetworkError(error, httpStatus)) {
    return new LiveProviderError('Amazon IVS could not be reached: check the server’s network and AWS_REGION / IVS_ENDPOINT', 502, name || 'NetworkError');
  }
  return new LiveProviderError(
    `Amazon IVS ${action} failed (${name || 'unknown error'}${httpStatus ? `, HTTP ${httpStatus}` : ''})`,
    httpStatus && httpStatus >= 500 ? 503 : 502,
    name || undefined
  );
}

/** Whether an SDK error is one of the given IVS exception names (the SDK sets `name` to the type). */
export function isIvsError(error: unknown, ...names: string[]): boolean {
  return names.includes(describeSdkError(error).name);
}

/** The parts of an SDK error that are safe to log: no request input, no credentials. */
export function describeSdkError(error: unknown): { name: string; message: string; httpStatus?: number; requestId?: string } {
  if (typeof error !== 'object' || error === null) return { name: '', message: String(error) };
  const e = error as { name?: unknown; message?: unknown; exceptionMessage?: unknown; $metadata?: { httpStatusCode?: unknown; requestId?: unknown } };
  // IVS puts its explanation in `exceptionMessage`; the SDK's `message` is then often just "UnknownError".
  const message = typeof e.exceptionMessage === 'string' && e.exceptionMessage ? e.exceptionMessage : typeof e.message === 'string' ? e.message : '';
  return {
    name: typeof e.name === 'string' && e.name !== 'Error' ? e.name : '',
    message,
    httpStatus: typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined,
    requestId: typeof e.$metadata?.requestId === 'string' ? e.$metadata.requestId : undefined,
  };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** No HTTP answer at all: DNS, refused/reset connections, socket timeouts. */
function isNetworkError(error: unknown, httpStatus: number | undefined): boolean {
  if (httpStatus !== undefined) return false;
  const e = error as { name?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (e?.name === 'TimeoutError' || e?.name === 'NetworkingError' || e?.name === 'RequestTimeout') return true;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  if (NETWORK_CODES.has(code)) return true;
  // The SDK's retry layer can wrap a socket error into a plain Error whose message alone keeps the
  // code ("AWS SDK error wrapper for Error: connect ECONNREFUSED …").
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' && [...NETWORK_CODES].some((c) => message.includes(c));
}
