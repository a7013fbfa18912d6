import { IVS_CUE_FALLBACK_MS, MAX_SYNC_DELAY_MS, pollCueOf, pollDeadline, pollVisibleAt, type PollArrival } from '../poll-timing';
import { currentDelay, playerPlaying, playerStopped, playerSync, pollCueReached } from '../player-sync';

const T = Date.UTC(2030, 0, 1, 10, 0, 0);
const launch = (kind: PollArrival['kind'], latencySeconds: number | null): PollArrival => ({ at: T, source: 'launch', kind, latencySeconds });

describe('when a poll appears', () => {
  it('locally: when the video reaches the launch, i.e. the socket’s arrival plus the player’s delay behind live', () => {
    expect(pollVisibleAt(launch('flv', 0.45))).toBe(T + 450);
    expect(pollVisibleAt(launch('flv', 0))).toBe(T);
  });

  it('with no player (the waiting room) or an unknown delay: at once', () => {
    expect(pollVisibleAt(launch(null, null))).toBe(T);
    expect(pollVisibleAt(launch('flv', null))).toBe(T);
    expect(pollVisibleAt(launch('flv', Number.NaN))).toBe(T);
  });

  it('does not believe a stalled player’s huge delay', () => {
    expect(pollVisibleAt(launch('flv', 600))).toBe(T + MAX_SYNC_DELAY_MS);
  });

  it('on IVS: at the timed-metadata cue, or after the delay plus a fallback margin when no cue comes', () => {
    expect(pollVisibleAt(launch('ivs', 4.2), T + 4_100)).toBe(T + 4_100);
    expect(pollVisibleAt(launch('ivs', 4.2))).toBe(T + 4_200 + IVS_CUE_FALLBACK_MS);
    // A cue reached before the socket message arrived: at once.
    expect(pollVisibleAt(launch('ivs', 4.2), T - 50)).toBe(T);
  });

  it('a poll known from the classroom’s state (a late join, a reconnect) appears at once', () => {
    expect(pollVisibleAt({ at: T, source: 'state', kind: 'flv', latencySeconds: 3 })).toBe(T);
    expect(pollVisibleAt({ at: T, source: 'state', kind: 'ivs', latencySeconds: 3 }, null)).toBe(T);
  });
});

describe('a timed poll’s countdown', () => {
  it('gives every student the full time from when they saw it', () => {
    const poll = { durationSeconds: 30, closesAt: new Date(T + 33_000).toISOString() };
    expect(pollDeadline(poll, T + 450, 'launch')).toBe(T + 30_450);
    expect(pollDeadline({ durationSeconds: null, closesAt: null }, T, 'launch')).toBeNull();
  });

  it('a late joiner can’t outlast the server’s close', () => {
    const poll = { durationSeconds: 30, closesAt: new Date(T + 33_000).toISOString() };
    expect(pollDeadline(poll, T + 20_000, 'state')).toBe(T + 33_000);
    expect(pollDeadline(poll, T + 1_000, 'state')).toBe(T + 31_000);
  });
});

describe('timed-metadata cues', () => {
  it('reads the server’s poll cue and nothing else', () => {
    expect(pollCueOf('{"t":"poll","id":12}')).toBe(12);
    expect(pollCueOf('{"t":"poll","id":"12"}')).toBeNull();
    expect(pollCueOf('{"t":"chat","id":12}')).toBeNull();
    expect(pollCueOf('{"t":"poll","id":-1}')).toBeNull();
    expect(pollCueOf('not json')).toBeNull();
    expect(pollCueOf(null)).toBeNull();
    expect(pollCueOf(`{"t":"poll","id":1,"pad":"${'x'.repeat(1100)}"}`)).toBeNull();
  });
});

describe('the player store shared with the classroom', () => {
  it('answers the delay at the moment it is asked, keeps the first cue, and forgets the player when it stops', () => {
    let delay = 0.3;
    const changes: number[] = [];
    const unsubscribe = playerSync.subscribe(() => changes.push(1));
    playerPlaying('flv', () => delay);
    expect(currentDelay()).toEqual({ kind: 'flv', latencySeconds: 0.3 });
    delay = 0.7;
    expect(currentDelay().latencySeconds).toBe(0.7);
    pollCueReached(5, T);
    pollCueReached(5, T + 1_000);
    expect(playerSync.get().cues[5]).toBe(T);
    playerStopped();
    expect(currentDelay()).toEqual({ kind: null, latencySeconds: null });
    expect(playerSync.get().cues[5]).toBe(T);
    expect(changes.length).toBe(3);
    unsubscribe();
  });
});
