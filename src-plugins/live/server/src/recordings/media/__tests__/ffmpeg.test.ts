import fs from 'node:fs';
import path from 'node:path';
import { MediaError, failureLine, locateFfmpeg, runFfmpeg } from '../ffmpeg';
import { DEBIAN_FFMPEG, NPM_FFMPEG, isRunning, makeTempDir } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir('ffmpeg');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('locateFfmpeg', () => {
  it('uses FFMPEG_PATH when it is an executable file', () => {
    expect(locateFfmpeg(NPM_FFMPEG)).toEqual({ path: NPM_FFMPEG, source: 'FFMPEG_PATH' });
  });

  it('refuses a FFMPEG_PATH that does not exist or is not executable, naming FFMPEG_PATH', () => {
    const missing = path.join(dir, 'no-such-ffmpeg');
    expect(() => locateFfmpeg(missing)).toThrow(new MediaError('ffmpeg-missing', `FFMPEG_PATH is set to ${missing}, which does not exist`));
    const notExecutable = path.join(dir, 'ffmpeg.txt');
    fs.writeFileSync(notExecutable, 'not a program', { mode: 0o644 });
    expect(() => locateFfmpeg(notExecutable)).toThrow(/FFMPEG_PATH is set to .*ffmpeg\.txt, which is not an executable file/);
    expect(() => locateFfmpeg(dir)).toThrow(/not an executable file/);
  });

  it("takes Debian's ffmpeg when there is no FFMPEG_PATH (an empty one counts as none), else the npm one", () => {
    expect(locateFfmpeg()).toEqual({ path: DEBIAN_FFMPEG, source: 'debian' });
    expect(locateFfmpeg('  ')).toEqual({ path: DEBIAN_FFMPEG, source: 'debian' });
    expect(locateFfmpeg(undefined, { debian: path.join(dir, 'not-installed') })).toEqual({ path: NPM_FFMPEG, source: 'npm' });
  });

  it('says how to get one when there is none at all', () => {
    expect(() => locateFfmpeg(undefined, { debian: path.join(dir, 'not-installed'), npm: () => null })).toThrow(/No ffmpeg found: set FFMPEG_PATH/);
  });
});

describe('runFfmpeg', () => {
  it('reports the output position from -progress as it grows', async () => {
    const positions: number[] = [];
    const result = await runFfmpeg(DEBIAN_FFMPEG, ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-t', '3', '-f', 'null', '-'], { onProgress: (ms) => positions.push(ms) });
    expect(result.exitCode).toBe(0);
    expect(positions.length).toBeGreaterThan(0);
    expect(positions.every((ms, i) => i === 0 || ms > positions[i - 1])).toBe(true);
    expect(result.lastOutTimeMs).toBeGreaterThanOrEqual(2800);
    expect(result.lastOutTimeMs).toBeLessThanOrEqual(3100);
  });

  it('fails with a one-line reason from stderr, keeping the last lines', async () => {
    const missing = path.join(dir, 'missing.flv');
    const failure = await runFfmpeg(DEBIAN_FFMPEG, ['-i', missing, '-f', 'null', '-']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MediaError);
    expect((failure as MediaError).code).toBe('ffmpeg-failed');
    expect((failure as MediaError).message).toBe(`ffmpeg exited 1: ${missing}: No such file or directory`);
    expect((failure as MediaError).stderr.length).toBeGreaterThan(0);
    expect((failure as MediaError).stderr.length).toBeLessThanOrEqual(20);
  });

  it('names a binary that cannot start', async () => {
    await expect(runFfmpeg(path.join(dir, 'nope'), ['-version'])).rejects.toThrow(/ffmpeg could not be started .*nope.*ENOENT/);
  });

  it('kills ffmpeg when the signal aborts, and rejects as cancelled', async () => {
    const abort = new AbortController();
    let pid = 0;
    const run = runFfmpeg(DEBIAN_FFMPEG, ['-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-f', 'null', '-'], {
      signal: abort.signal,
      onSpawn: (spawned) => (pid = spawned),
      // Runs in real time for ever: abort once it is really running.
      onProgress: () => abort.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'MediaError', code: 'aborted', message: 'Processing was cancelled' });
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });

  it('does not start at all when the signal has already aborted', async () => {
    let spawned = false;
    await expect(runFfmpeg(DEBIAN_FFMPEG, ['-version'], { signal: AbortSignal.abort(), onSpawn: () => (spawned = true) })).rejects.toMatchObject({ code: 'aborted' });
    expect(spawned).toBe(false);
  });
});

describe('failureLine', () => {
  it('skips the boilerplate at the end of ffmpeg output', () => {
    expect(failureLine(['Stream mapping:', 'x.flv: Invalid data found when processing input', 'Conversion failed!'])).toBe('x.flv: Invalid data found when processing input');
    expect(failureLine([])).toBe('no error message');
  });
});
