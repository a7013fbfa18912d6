import { AccessDeniedException, ThrottlingException, ValidationException } from '@aws-sdk/client-ivs';
import { LiveProviderError } from '../../types';
import { toLiveProviderError } from '..';
import { sdkError } from './fixtures';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('toLiveProviderError', () => {
  it('maps the SDK’s own exception classes', () => {
    const throttled = toLiveProviderError(new ThrottlingException({ message: 'Rate exceeded', ...meta(429) }), 'GetStream');
    expect(throttled).toBeInstanceOf(LiveProviderError);
    expect(throttled).toMatchObject({ status: 503, code: 'ThrottlingException', message: 'Amazon IVS is throttling requests; try again in a few seconds' });

    const denied = toLiveProviderError(new AccessDeniedException({ message: 'not authorized', ...meta(403) }), 'StopStream');
    expect(denied).toMatchObject({ status: 502, message: expect.stringContaining('"ivs:StopStream"') });

    const invalid = toLiveProviderError(new ValidationException({ message: 'name: failed to satisfy constraint', ...meta(400) }), 'CreateChannel');
    expect(invalid).toMatchObject({ status: 502, message: 'Amazon IVS rejected the request (CreateChannel): name: failed to satisfy constraint' });
  });

  it.each([
    ['ResourceNotFoundException', 404, 404, /no longer exists/],
    ['ServiceQuotaExceededException', 402, 409, /channel quota reached/],
    ['PendingVerification', 403, 503, /pending verification/],
    ['ConflictException', 409, 409, /busy/],
    ['InternalServerException', 500, 503, /internal error/],
    ['UnrecognizedClientException', 403, 502, /rejected the configured credentials/],
  ])('%s → %i', (name, http, status, message) => {
    expect(toLiveProviderError(sdkError(name, 'x', http), 'CreateChannel')).toMatchObject({ status, code: name, message: expect.stringMatching(message) });
  });

  it('says IVS could not be reached on network failures', () => {
    for (const error of [
      Object.assign(new Error('getaddrinfo ENOTFOUND ivs.us-west-2.amazonaws.com'), { code: 'ENOTFOUND' }),
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
      Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }),
    ]) {
      expect(toLiveProviderError(error, 'GetStream')).toMatchObject({ status: 502, message: expect.stringMatching(/^Amazon IVS could not be reached/) });
    }
  });

  it('names the action and status of anything else, without echoing the raw message', () => {
    const mapped = toLiveProviderError(sdkError('WeirdException', 'sk_us-west-2_secretvalue', 418), 'CreateStreamKey');
    expect(mapped).toMatchObject({ status: 502, message: 'Amazon IVS CreateStreamKey failed (WeirdException, HTTP 418)' });
    expect(mapped.message).not.toContain('sk_');
  });

  it('passes a LiveProviderError through unchanged', () => {
    const original = new LiveProviderError('already mapped', 409, 'X');
    expect(toLiveProviderError(original, 'GetStream')).toBe(original);
  });
});
