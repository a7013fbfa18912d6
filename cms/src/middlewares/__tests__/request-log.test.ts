import { loggableUrl } from '../request-log';

describe('request log lines', () => {
  it('hide playback tokens and codes but keep the rest of the URL readable', () => {
    expect(loggableUrl('/api/live/play/abc.flv?token=v1.eyJjIjoi.sig')).toBe('/api/live/play/abc.flv?token=***');
    expect(loggableUrl('/api/courses?populate=*&code=123456&sort=title')).toBe('/api/courses?populate=*&code=***&sort=title');
    expect(loggableUrl('/api/courses')).toBe('/api/courses');
  });
});
