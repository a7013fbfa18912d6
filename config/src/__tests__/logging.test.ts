import { jsonLogLine, logFormat, metricsHost, parseEnv, redactUrl, requestIdFrom, REQUEST_ID_PATTERN } from '../index';

describe('request ids', () => {
  it("keep the caller's id when it is a plain token of 8 to 128 characters", () => {
    for (const id of ['abcdefgh', 'req-1234.5678:9_0', 'A'.repeat(128), '4f0c2a8e-6f1b-4c4e-9a53-1c3e1f2b7d90']) {
      expect(requestIdFrom(id)).toBe(id);
    }
    expect(requestIdFrom(['first-id-1234', 'second-id-5678'])).toBe('first-id-1234');
  });

  it('replace anything else with a fresh UUID (too short, too long, spaces, newlines, quotes)', () => {
    const forged = ['short', 'A'.repeat(129), 'has space x', 'line\nbreak-12345', 'quote"12345678', '{"json":"yes"}', '', undefined, null];
    for (const given of forged) {
      const id = requestIdFrom(given);
      expect(id).not.toBe(given);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(id).toMatch(REQUEST_ID_PATTERN);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('log and metrics settings', () => {
  it('log JSON in production and readable lines elsewhere, unless LOG_FORMAT says', () => {
    expect(logFormat(parseEnv({}, 'site'))).toBe('pretty');
    expect(logFormat(parseEnv({ NODE_ENV: 'production' }, 'site'))).toBe('json');
    expect(logFormat(parseEnv({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, 'site'))).toBe('pretty');
    expect(logFormat(parseEnv({ LOG_FORMAT: 'json' }, 'site'))).toBe('json');
    expect(() => parseEnv({ LOG_FORMAT: 'xml' }, 'site')).toThrow(/LOG_FORMAT: must be pretty or json/);
  });

  it('bind the metrics port on every interface in production only, and refuse a bad or clashing port and a short token', () => {
    expect(metricsHost(parseEnv({ METRICS_PORT: '9464' }, 'site'))).toBe('127.0.0.1');
    expect(metricsHost(parseEnv({ NODE_ENV: 'production', METRICS_PORT: '9464' }, 'site'))).toBe('0.0.0.0');
    expect(metricsHost(parseEnv({ NODE_ENV: 'production', METRICS_HOST: '10.0.0.5' }, 'site'))).toBe('10.0.0.5');
    expect(parseEnv({ METRICS_PORT: '9464' }, 'site').METRICS_PORT).toBe(9464);
    expect(parseEnv({ METRICS_PORT: '' }, 'site').METRICS_PORT).toBeUndefined();
    expect(() => parseEnv({ METRICS_PORT: 'abc' }, 'site')).toThrow(/METRICS_PORT/);
    expect(() => parseEnv({ METRICS_PORT: '70000' }, 'site')).toThrow(/METRICS_PORT/);
    expect(() => parseEnv({ METRICS_PORT: '1337', PORT: '1337' }, 'cms')).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => parseEnv({ METRICS_TOKEN: 'short' }, 'cms')).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });
});

describe('log lines', () => {
  it('hide the values of secret query parameters and keep the rest', () => {
    expect(redactUrl('/preview?token=abc.def&next=%2Fcourses')).toBe('/preview?token=***&next=%2Fcourses');
    expect(redactUrl('/api/live/files/a.mp4?exp=123&sig=deadbeef')).toBe('/api/live/files/a.mp4?exp=123&sig=***');
    expect(redactUrl('/verify?CODE=123456&Key=k&access_token=t')).toBe('/verify?CODE=***&Key=***&access_token=***');
    expect(redactUrl('/courses')).toBe('/courses');
  });

  it('are one line of JSON whatever the fields hold, and parse back to the same text', () => {
    const message = 'refused "x"\n{"level":"error","message":"forged"}\r\u001b[31m\u2028\u2029\u009b\u007f';
    const line = jsonLogLine({ time: '2026-12-02T08:00:00.000Z', level: 'warn', message, requestId: 'abcdefgh', userId: undefined });
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    const parsed = JSON.parse(line);
    expect(parsed).toEqual({ time: '2026-12-02T08:00:00.000Z', level: 'warn', message, requestId: 'abcdefgh' });
  });
});
