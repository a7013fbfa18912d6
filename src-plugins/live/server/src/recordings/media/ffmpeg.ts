import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Finding and running ffmpeg. Only the `ffmpeg` binary is used (never ffprobe): the npm-shipped
 * build (@ffmpeg-installer/ffmpeg) has none, and everything here must work with either binary.
 */

export type FfmpegSource = 'FFMPEG_PATH' | 'debian' | 'npm';
export type LocatedFfmpeg = { path: string; source: FfmpegSource };

export type MediaErrorCode =
  /** FFMPEG_PATH is wrong or no ffmpeg could be found. */
  | 'ffmpeg-missing'
  /** A raw recording (input file) is not there. */
  | 'input-missing'
  /** The input is not a media file ffmpeg can read. */
  | 'invalid-input'
  | 'no-video'
  | 'unsupported-video'
  /** Several segments that cannot be joined without re-encoding the video. */
  | 'incompatible-segments'
  /** ffmpeg ran and failed. */
  | 'ffmpeg-failed'
  /** The AbortSignal fired: not a failure of the recording. */
  | 'aborted';

/**
 * A media step that failed. `message` is one line a mentor can read (it ends up as the
 * recording's failure reason); `stderr` keeps ffmpeg's last lines for the logs.
 */
export class MediaError extends Error {
  override readonly name = 'MediaError';

  constructor(
    readonly code: MediaErrorCode,
    message: string,
    readonly stderr: readonly string[] = []
  ) {
    super(message);
  }
}

export const DEBIAN_FFMPEG_PATH = '/usr/bin/ffmpeg';

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The binary shipped inside @ffmpeg-installer/ffmpeg's platform package, or null (unsupported platform, not installed). */
function npmFfmpegPath(): string | null {
  try {
    // Loaded lazily: the package throws at require time on a platform it has no binary for.
    const loaded = createRequire(__filename)('@ffmpeg-installer/ffmpeg') as { path?: unknown };
    return typeof loaded.path === 'string' ? loaded.path : null;
  } catch {
    return null;
  }
}

/**
 * Which ffmpeg to use: FFMPEG_PATH when set (it must be an executable file: a typo should fail
 * loudly, not fall back silently), else Debian's /usr/bin/ffmpeg, else the npm-shipped one, so
 * that `npm ci` alone is enough on a fresh machine. `candidates` exists for tests.
 */
export function locateFfmpeg(
  override?: string,
  candidates: { debian?: string; npm?: () => string | null } = {}
): LocatedFfmpeg {
  const configured = override?.trim();
  if (configured) {
    if (!fs.existsSync(configured)) throw new MediaError('ffmpeg-missing', `FFMPEG_PATH is set to ${configured}, which does not exist`);
    if (!isExecutableFile(configured)) throw new MediaError('ffmpeg-missing', `FFMPEG_PATH is set to ${configured}, which is not an executable file`);
    return { path: configured, source: 'FFMPEG_PATH' };
  }
  const debian = candidates.debian ?? DEBIAN_FFMPEG_PATH;
  if (isExecutableFile(debian)) return { path: debian, source: 'debian' };
  const npm = (candidates.npm ?? npmFfmpegPath)();
  if (npm && isExecutableFile(npm)) return { path: npm, source: 'npm' };
  throw new MediaError(
    'ffmpeg-missing',
    `No ffmpeg found: set FFMPEG_PATH, install ffmpeg (${debian}), or reinstall the @ffmpeg-installer/ffmpeg package (npm ci)`
  );
}

export type RunFfmpegOptions = {
  signal?: AbortSignal;
  /** Called with ffmpeg's output position (`out_time_us` of `-progress`), in milliseconds, as it grows. */
  onProgress?: (outTimeMs: number) => void;
  /** Every stderr line (e.g. a filter's log); only the last lines are kept otherwise. */
  onStderrLine?: (line: string) => void;
  /** The child's pid once spawned (tests check that an abort really ends it). */
  onSpawn?: (pid: number) => void;
  /** Exit codes that are not a failure; default [0]. (`ffmpeg -i file` alone exits 1 by design.) */
  okExitCodes?: readonly number[];
};

export type RunFfmpegResult = {
  exitCode: number;
  /** The last ~20 stderr lines. */
  stderrTail: string[];
  /** The last output position reported by `-progress`, or null when there was none. */
  lastOutTimeMs: number | null;
};

const STDERR_TAIL_LINES = 20;

/** Lines that say nothing about why ffmpeg failed. */
const UNINFORMATIVE_LINE = /^(Conversion failed!?|Exiting normally.*|frame=.*|size=.*|\s*)$/;

/** The most useful single stderr line for a failure reason: the last one that isn't boilerplate. */
export function failureLine(stderrTail: readonly string[]): string {
  for (let i = stderrTail.length - 1; i >= 0; i--) {
    const line = stderrTail[i].trim();
    if (!UNINFORMATIVE_LINE.test(line)) return line.length > 300 ? `${line.slice(0, 297)}…` : line;
  }
  return 'no error message';
}

/** Parses one `-progress` value into ms: out_time_us / out_time_ms (both microseconds, the latter misnamed by ffmpeg) or out_time (HH:MM:SS.micro). */
function progressMs(key: string, value: string): number | null {
  if (key === 'out_time_us' || key === 'out_time_ms') {
    const micros = Number(value);
    return Number.isFinite(micros) && micros >= 0 ? micros / 1000 : null;
  }
  if (key === 'out_time') {
    const match = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
    return match ? (Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])) * 1000 : null;
  }
  return null;
}

/**
 * Runs ffmpeg with `args` (no shell: arguments are passed as they are). Adds `-hide_banner
 * -nostdin -nostats -progress pipe:1` in front. Resolves when it exits with an accepted code;
 * rejects with a MediaError otherwise, or with code 'aborted' when `signal` fires (ffmpeg is
 * killed with SIGKILL: a SIGTERM makes it finish its output, which for +faststart means
 * rewriting the whole file).
 */
export function runFfmpeg(binary: string, args: readonly string[], options: RunFfmpegOptions = {}): Promise<RunFfmpegResult> {
  const { signal, onProgress, onStderrLine, onSpawn } = options;
  const okExitCodes = options.okExitCodes ?? [0];
  if (signal?.aborted) return Promise.reject(abortedError());

  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-hide_banner', '-nostdin', '-nostats', '-progress', 'pipe:1', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stderrTail: string[] = [];
    let lastOutTimeMs: number | null = null;
    let stdoutRest = '';
    let stderrRest = '';
    let settled = false;

    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };

    const takeStderrLine = (line: string) => {
      if (!line.trim()) return;
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      onStderrLine?.(line);
    };
    const takeProgressLine = (line: string) => {
      const equals = line.indexOf('=');
      if (equals < 0) return;
      const ms = progressMs(line.slice(0, equals).trim(), line.slice(equals + 1).trim());
      // out_time_us, out_time_ms and out_time come together: report each position once.
      if (ms === null || (lastOutTimeMs !== null && ms <= lastOutTimeMs)) return;
      lastOutTimeMs = ms;
      onProgress?.(ms);
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (stdoutRest + chunk).split('\n');
      stdoutRest = lines.pop() ?? '';
      lines.forEach(takeProgressLine);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (stderrRest + chunk).split(/\r\n|\r|\n/);
      stderrRest = lines.pop() ?? '';
      lines.forEach(takeStderrLine);
    });

    child.on('spawn', () => {
      if (child.pid !== undefined) onSpawn?.(child.pid);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      settle(() => {
        child.kill('SIGKILL');
        reject(new MediaError('ffmpeg-missing', `ffmpeg could not be started (${binary}): ${error.code ?? error.message}`));
      })
    );
    // 'close' (not 'exit'): the pipes are drained, so the last progress and stderr lines are in.
    child.on('close', (code, killSignal) =>
      settle(() => {
        takeStderrLine(stderrRest);
        if (stdoutRest) takeProgressLine(stdoutRest);
        if (signal?.aborted) return reject(abortedError());
        if (code !== null && okExitCodes.includes(code)) return resolve({ exitCode: code, stderrTail, lastOutTimeMs });
        const how = code === null ? `was killed by ${killSignal}` : `exited ${code}`;
        reject(new MediaError('ffmpeg-failed', `ffmpeg ${how}: ${failureLine(stderrTail)}`, stderrTail));
      })
    );
  });
}

function abortedError(): MediaError {
  return new MediaError('aborted', 'Processing was cancelled');
}
