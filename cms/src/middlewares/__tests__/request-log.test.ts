import { loggableUrl } from '../request-log';

describe('request log lines', () => {
  it('hide playback tokens and codes but keep the rest of the URL readable', () => {
    expect(loggableUrl('/api/live/play/abc.flv?token=v1.eyJjIjoi.sig')).toBe('/api/live/play/abc.flv?token=***');
    expect(loggableUrl('/api/courses?populate=*&code=123456&sort=title')).toBe('/api/courses?populate=*&code=***&sort=title');
    expect(loggableUrl('/api/courses')).toBe('/api/courses');
    expect(loggableUrl('/api/live/files/r/video.mp4?exp=1764662400&sig=abc123')).toBe('/api/live/files/r/video.mp4?exp=1764662400&sig=***');
  });

  it('stay one line: control characters in the path are escaped, the query is re-encoded', () => {
    expect(loggableUrl('/api/x\n[2026-12-01] forged\u001b[31m')).toBe('/api/x\\n[2026-12-01] forged\\x1b[31m');
    expect(loggableUrl('/api/courses?%0a%1b=1')).toBe('/api/courses?%0A%1B=1');
  });
});
