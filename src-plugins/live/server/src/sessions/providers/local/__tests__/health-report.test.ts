import { describeHealth, STUDENT_INTERRUPTED_MESSAGE } from '../health-report';
import { PLAYER_MESSAGES } from '../../../../../../../../site/src/lib/live-state';

const startedAt = new Date(0);
const measured = { firstMediaAt: 0, lastVideoAt: 10_000, bitrateKbps: 2500, fps: 30, keyframeIntervalSeconds: 2 };

describe('the mentor panel when OBS drops', () => {
  const dropped = describeHealth({ publishStatus: 'reconnecting', startedAt, connectedAt: 0, stats: measured, viewerCount: 4, reconnectGraceMs: 10_000 }, 20_000);

  it('says the encoder disconnected, without calling it starving or advising a lower bitrate', () => {
    expect(dropped).toMatchObject({ live: false, health: 'UNKNOWN', viewerCount: 4, bitrateKbps: null, fps: null });
    const text = dropped.warnings.join(' ');
    expect(text).toMatch(/^OBS has disconnected: no video is reaching the server\./);
    expect(text).not.toMatch(/starv|bitrate/i);
  });

  it('tells the mentor what students really see, and how long OBS has to come back', () => {
    const text = dropped.warnings.join(' ');
    expect(text).toContain(`Students see the last frame frozen, then "${STUDENT_INTERRUPTED_MESSAGE}"`);
    expect(text).not.toMatch(/waiting/i);
    expect(text).toMatch(/within 10 s the class carries on; otherwise it ends/);
    expect(describeHealth({ publishStatus: 'reconnecting', startedAt, connectedAt: 0, stats: null, viewerCount: 0, reconnectGraceMs: 30_000 }).warnings[0]).toMatch(/within 30 s/);
  });

  it('quotes the message the site’s player actually shows', () => {
    expect(STUDENT_INTERRUPTED_MESSAGE).toBe(PLAYER_MESSAGES.interrupted);
  });

  it('keeps the starving advice for a connected OBS whose video stalls', () => {
    const stalled = describeHealth({ publishStatus: 'publishing', startedAt, connectedAt: 0, stats: measured, viewerCount: 0, reconnectGraceMs: 10_000 }, 14_000);
    expect(stalled).toMatchObject({ live: true, health: 'STARVING' });
    expect(stalled.warnings.join(' ')).toMatch(/No video has arrived for 4 s/);
  });
});
