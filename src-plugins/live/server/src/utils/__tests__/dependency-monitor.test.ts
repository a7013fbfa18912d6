import { createDependencyMonitor, outageMessage, withTimeout, type RedisLike } from '../dependency-monitor';

/** A database whose answers the test decides: each probe waits for the test to settle it. */
function controllableDatabase() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let calls = 0;
  return {
    probe: () =>
      new Promise<void>((resolve, reject) => {
        calls += 1;
        pending.push({ resolve, reject });
      }),
    get calls() {
      return calls;
    },
    answer(ok: boolean) {
      const next = pending.shift();
      if (!next) throw new Error('no probe is waiting');
      if (ok) next.resolve();
      else next.reject(Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' }));
    },
  };
}

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: { error: (m: string) => lines.push(`error ${m}`), warn: (m: string) => lines.push(`warn ${m}`) } };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the dependency monitor', () => {
  afterEach(() => jest.useRealTimers());

  it('runs one select at a time however many requests ask, and reuses its answer briefly', async () => {
    const database = controllableDatabase();
    let clock = 1_000;
    const monitor = createDependencyMonitor({ probeDatabase: database.probe, redis: () => null, log: recordingLog().log, now: () => clock });
    const checks = [monitor.check(), monitor.check(), monitor.check()];
    await flush();
    expect(database.calls).toBe(1);
    database.answer(true);
    expect(await Promise.all(checks)).toEqual([[], [], []]);

    clock += 100; // within the cache window: no new query
    expect(await monitor.check()).toEqual([]);
    expect(database.calls).toBe(1);

    clock += 200; // past it: a fresh one
    const fresh = monitor.check();
    await flush();
    expect(database.calls).toBe(2);
    database.answer(true);
    await fresh;
    monitor.stop();
  });

  it('knows the database is down after a failed check, logs it once, and finds it back by itself', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const database = controllableDatabase();
    const { lines, log } = recordingLog();
    const monitor = createDependencyMonitor({ probeDatabase: database.probe, redis: () => null, log, retryMs: 250, cacheMs: 250 });
    expect(monitor.knownDown()).toEqual([]);

    const check = monitor.check();
    await flush();
    database.answer(false);
    expect(await check).toEqual(['database']);
    expect(monitor.knownDown()).toEqual(['database']);
    expect(lines).toEqual([expect.stringMatching(/^error \[outage\] database unavailable \(connect ECONNREFUSED 10\.1\.2\.3:5432\)/)]);

    // Still down at the background retry: no second log line.
    await jest.advanceTimersByTimeAsync(250);
    expect(database.calls).toBe(2);
    database.answer(false);
    await flush();
    expect(monitor.knownDown()).toEqual(['database']);
    expect(lines).toHaveLength(1);

    // Back at the next retry, without any request asking.
    await jest.advanceTimersByTimeAsync(250);
    expect(database.calls).toBe(3);
    database.answer(true);
    await flush();
    expect(monitor.knownDown()).toEqual([]);
    expect(lines[1]).toMatch(/^warn \[outage\] database is back after \d+\.\d s/);

    // Up again: no more background probes.
    await jest.advanceTimersByTimeAsync(1_000);
    expect(database.calls).toBe(3);
    monitor.stop();
  });

  it('keeps retrying in the background even when the last answer is still cached at the retry (it must not end the retries)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const database = controllableDatabase();
    // A retry that fires while the failed answer is still fresh (Node timers may fire a millisecond
    // early against Date.now(); here the cache simply outlasts the retry interval).
    const monitor = createDependencyMonitor({ probeDatabase: database.probe, redis: () => null, log: recordingLog().log, retryMs: 250, cacheMs: 300 });
    const first = monitor.check();
    await flush();
    database.answer(false);
    expect(await first).toEqual(['database']);
    await jest.advanceTimersByTimeAsync(250);
    expect(database.calls).toBe(2);
    database.answer(true);
    await flush();
    expect(monitor.knownDown()).toEqual([]);
    monitor.stop();
  });

  it('calls a database that does not answer within the timeout down, recovers past a hung check, and never stacks more than three', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const database = controllableDatabase();
    const monitor = createDependencyMonitor({ probeDatabase: database.probe, redis: () => null, log: recordingLog().log, timeoutMs: 1_500, cacheMs: 0, retryMs: 10_000 });
    // Three checks time out; their queries stay pending (a connection that died mid-outage).
    for (let i = 1; i <= 3; i++) {
      const check = monitor.check();
      await jest.advanceTimersByTimeAsync(1_500);
      expect(await check).toEqual(['database']);
      expect(database.calls).toBe(i);
    }
    // A fourth isn't started behind them.
    const blocked = monitor.check();
    await flush();
    expect(database.calls).toBe(3);
    expect(await blocked).toEqual(['database']);
    // One of the hung ones settles: the next check runs and finds the database back.
    database.answer(true);
    await flush();
    const next = monitor.check();
    await flush();
    expect(database.calls).toBe(4);
    // The two still hung settle too, then the new one answers.
    for (let i = 0; i < 3; i++) database.answer(true);
    expect(await next).toEqual([]);
    monitor.stop();
  });

  it('reads Redis from its connection: off without one, down unless ready, logged once per outage', async () => {
    const { lines, log } = recordingLog();
    const listeners: ((error: Error) => void)[] = [];
    const client: RedisLike = { status: 'ready', ping: async () => 'PONG', on: (_event, listener) => listeners.push(listener) };
    let configured: RedisLike | null = null;
    const monitor = createDependencyMonitor({ probeDatabase: async () => undefined, redis: () => configured, log });
    expect((await monitor.readiness()).redis).toBe('off');

    configured = client;
    expect(monitor.knownDown()).toEqual([]);
    client.status = 'reconnecting';
    listeners.forEach((listener) => listener(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' })));
    expect(monitor.knownDown()).toEqual(['redis']);
    expect(monitor.knownDown()).toEqual(['redis']);
    expect(await monitor.readiness()).toEqual({ database: 'ok', redis: 'down' });
    expect(lines).toEqual([expect.stringMatching(/^error \[outage\] redis unavailable \(connection reconnecting; last error connect ECONNREFUSED/)]);

    client.status = 'ready';
    expect(monitor.knownDown()).toEqual([]);
    expect(lines[1]).toMatch(/^warn \[outage\] redis is back/);
    expect(await monitor.readiness()).toEqual({ database: 'ok', redis: 'ok' });
    monitor.stop();
  });

  it('calls a connected Redis that does not answer PING down for readiness', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const client: RedisLike = { status: 'ready', ping: () => new Promise(() => undefined) };
    const monitor = createDependencyMonitor({ probeDatabase: async () => undefined, redis: () => client, log: recordingLog().log });
    const readiness = monitor.readiness();
    await jest.advanceTimersByTimeAsync(1_500);
    expect(await readiness).toEqual({ database: 'ok', redis: 'down' });
    monitor.stop();
  });

  it('logs the reason of every address a connect tried', async () => {
    const { lines, log } = recordingLog();
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:5432`), { code: 'ECONNREFUSED' });
    const monitor = createDependencyMonitor({
      probeDatabase: async () => {
        throw Object.assign(new AggregateError([refused('::1'), refused('127.0.0.1')]), { code: 'ECONNREFUSED' });
      },
      redis: () => null,
      log,
    });
    expect(await monitor.check()).toEqual(['database']);
    monitor.stop();
    expect(lines[0]).toContain('(connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432)');
  });

  it('says what is down in a plain sentence, and times out what does not answer', async () => {
    expect(outageMessage(['database'])).toBe('Skillyug is briefly unavailable (database). Try again in a few seconds.');
    expect(outageMessage(['database', 'redis'])).toBe('Skillyug is briefly unavailable (database, redis). Try again in a few seconds.');
    await expect(withTimeout(Promise.resolve(7), 10)).resolves.toBe(7);
    jest.useFakeTimers();
    const never = withTimeout(new Promise(() => undefined), 100);
    jest.advanceTimersByTime(100);
    await expect(never).rejects.toThrow('no answer within 100 ms');
  });
});
