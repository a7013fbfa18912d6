import { checkEventsSecret, IVS_EVENTS_HEADER, parseIvsStreamEvent } from '..';
import { CHANNEL_ARN } from './fixtures';

/** The envelope EventBridge delivers for IVS (shape from the IVS "Using Amazon EventBridge" page). */
const streamStateChange = (detail: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  version: '0',
  id: '01234567-0123-0123-0123-012345678901',
  'detail-type': 'IVS Stream State Change',
  source: 'aws.ivs',
  account: '123456789012',
  time: '2024-05-01T10:00:05Z',
  region: 'us-west-2',
  resources: [CHANNEL_ARN],
  detail: { channel_name: 'skillyug-s1', stream_id: 'st-1A2b3c4D5e6F78ghij9Klmn', ...detail },
  ...overrides,
});

describe('parseIvsStreamEvent', () => {
  it.each([
    ['Stream Start', 'started'],
    ['Session Created', 'started'],
    ['Stream End', 'ended'],
    ['Session Ended', 'ended'],
  ])('%s → %s, keyed on the channel ARN with the envelope time and id', (eventName, type) => {
    expect(parseIvsStreamEvent(streamStateChange({ event_name: eventName }))).toEqual({
      ok: true,
      detailType: 'IVS Stream State Change',
      eventName,
      reason: undefined,
      event: {
        channelId: CHANNEL_ARN,
        type,
        at: new Date('2024-05-01T10:00:05Z'),
        eventId: '01234567-0123-0123-0123-012345678901',
        streamId: 'st-1A2b3c4D5e6F78ghij9Klmn',
      },
    });
  });

  it('keys on resources[0] even when channel_name is empty', () => {
    const result = parseIvsStreamEvent(streamStateChange({ event_name: 'Stream End', channel_name: '' }));
    expect(result).toMatchObject({ ok: true, event: { channelId: CHANNEL_ARN, type: 'ended' } });
  });

  it('recognizes failures and takeovers without changing anything, passing the reason on for the log', () => {
    expect(parseIvsStreamEvent(streamStateChange({ event_name: 'Stream Failure', reason: 'Capacity exceeded' }))).toEqual({
      ok: true,
      event: null,
      detailType: 'IVS Stream State Change',
      eventName: 'Stream Failure',
      reason: 'Capacity exceeded',
    });
    expect(parseIvsStreamEvent(streamStateChange({ event_name: 'Stream Takeover Failure', code: 'StreamTakeoverInvalidPriority' }))).toMatchObject({
      ok: true,
      event: null,
      reason: 'StreamTakeoverInvalidPriority',
    });
  });

  it('accepts recording events with nothing to apply', () => {
    const recording = streamStateChange(
      {},
      {
        'detail-type': 'IVS Recording State Change',
        detail: {
          channel_name: 'skillyug-s1',
          stream_id: 'st-1A2b3c4D5e6F78ghij9Klmn',
          recording_status: 'Recording End',
          recording_status_reason: '',
          recording_s3_bucket_name: 'skillyug-recordings',
          recording_s3_key_prefix: 'ivs/v1/123456789012/abcdABCDefgh/2024/5/1/10/0/AbCdEfGhIjKl',
          recording_duration_ms: 3600000,
          recording_session_id: 'AbCdEfGhIjKl',
          recording_session_stream_ids: ['st-1A2b3c4D5e6F78ghij9Klmn'],
        },
      }
    );
    expect(parseIvsStreamEvent(recording)).toEqual({ ok: true, event: null, detailType: 'IVS Recording State Change', eventName: 'Recording End' });
  });

  it.each([
    ['a string', 'hello', /Not an Amazon IVS EventBridge event/],
    ['null', null, /Not an Amazon IVS EventBridge event/],
    ['another source', streamStateChange({ event_name: 'Stream Start' }, { source: 'aws.s3' }), /source/],
    ['no time', streamStateChange({ event_name: 'Stream Start' }, { time: 'yesterday' }), /time/],
    ['no detail', streamStateChange({}, { detail: undefined }), /detail/],
    ['no event_name', streamStateChange({}), /malformed detail.*event_name/],
    ['no channel ARN', streamStateChange({ event_name: 'Stream Start' }, { resources: [] }), /channel ARN/],
    ['a non-channel ARN', streamStateChange({ event_name: 'Stream Start' }, { resources: ['arn:aws:s3:::bucket'] }), /channel ARN/],
  ])('refuses %s with a clear message', (_label, body, message) => {
    const result = parseIvsStreamEvent(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('checkEventsSecret', () => {
  const secret = 'a-long-random-events-secret-0123456789';

  it('uses the x-ivs-events-secret header', () => {
    expect(IVS_EVENTS_HEADER).toBe('x-ivs-events-secret');
  });

  it('accepts the right secret', () => {
    expect(checkEventsSecret(secret, secret)).toBe(true);
  });

  it('refuses a wrong one of the same length, a different length, and a missing one', () => {
    expect(checkEventsSecret(secret.replace(/.$/, 'X'), secret)).toBe(false);
    expect(checkEventsSecret(secret.slice(0, 10), secret)).toBe(false);
    expect(checkEventsSecret(`${secret}extra`, secret)).toBe(false);
    expect(checkEventsSecret(undefined, secret)).toBe(false);
    expect(checkEventsSecret('', secret)).toBe(false);
  });

  it('refuses everything when no secret is configured', () => {
    expect(checkEventsSecret('', '')).toBe(false);
    expect(checkEventsSecret('anything', '')).toBe(false);
  });
});
