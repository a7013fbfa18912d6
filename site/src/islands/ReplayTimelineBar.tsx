/**
 * The recording's timeline under the video (rendered by ReplayPlayer): how far the video is, a
 * marker for every question and poll of the class (a button named by the chapter's label; it
 * seeks there), and — when students said so — the "I'm lost" moments as a heat band along the
 * bar, with the busiest moment in words beside it.
 *
 * - The bar is a slider (click or drag to seek; arrows ±5 s, Page Up/Down ±30 s, Home/End), a
 *   sibling of the markers (never nested interactive controls).
 * - No inline styles in the server's HTML (the CSP allows none): the fill and the heat are SVG
 *   geometry; the markers, placed with a `left` style, are added once the island runs in the
 *   browser (they only work with JavaScript anyway), in a row whose height is kept from the start.
 *
 * Test hooks: `replay-timeline`, `replay-seek` (the slider, `aria-valuenow` in seconds),
 * `replay-chapter-marker` (`data-at-ms`, `data-kind`, `data-current`), `replay-heatmap`
 * (`data-buckets`), `replay-lost-peak`, `replay-time`.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { clockText, durationWords, heatmapBars, heatmapPeak, percentAt, type ReplayChapter, type ReplayHeatmap } from '../lib/replay';

type Props = {
  durationMs: number;
  timeMs: number;
  chapters: ReplayChapter[];
  /** Index of the chapter the video is in (-1: before the first). */
  currentChapter: number;
  lost: ReplayHeatmap | null;
  onSeek: (ms: number) => void;
  onChapter: (chapter: ReplayChapter) => void;
};

const STEP_MS = 5_000;
const PAGE_MS = 30_000;
const KIND_WORDS: Record<ReplayChapter['kind'], string> = { question: 'Question', poll: 'Poll' };

export default function ReplayTimelineBar({ durationMs, timeMs, chapters, currentChapter, lost, onSeek, onChapter }: Props) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const track = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const known = durationMs > 0;
  const shownMs = Math.min(Math.max(0, timeMs), known ? durationMs : Math.max(0, timeMs));
  const bars = heatmapBars(lost, durationMs);
  const peak = bars.length > 0 ? heatmapPeak(lost, durationMs) : null;

  const seekToPointer = (event: PointerEvent<HTMLDivElement>) => {
    const box = track.current?.getBoundingClientRect();
    if (!box || box.width === 0 || !known) return;
    const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    onSeek(share * durationMs);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!known) return;
    const target =
      event.key === 'ArrowRight' || event.key === 'ArrowUp'
        ? shownMs + STEP_MS
        : event.key === 'ArrowLeft' || event.key === 'ArrowDown'
          ? shownMs - STEP_MS
          : event.key === 'PageUp'
            ? shownMs + PAGE_MS
            : event.key === 'PageDown'
              ? shownMs - PAGE_MS
              : event.key === 'Home'
                ? 0
                : event.key === 'End'
                  ? durationMs
                  : null;
    if (target === null) return;
    event.preventDefault();
    onSeek(Math.min(durationMs, Math.max(0, target)));
  };

  return (
    <div className="mt-3" data-testid="replay-timeline">
      <div className="relative h-10">
        <div
          ref={track}
          role="slider"
          tabIndex={0}
          aria-label="Position in the recording"
          aria-valuemin={0}
          aria-valuemax={Math.round(durationMs / 1000)}
          aria-valuenow={Math.round(shownMs / 1000)}
          aria-valuetext={known ? `${durationWords(shownMs)} of ${durationWords(durationMs)}` : durationWords(shownMs)}
          aria-disabled={!known || undefined}
          onKeyDown={onKeyDown}
          onPointerDown={(event) => {
            dragging.current = true;
            event.currentTarget.setPointerCapture(event.pointerId);
            seekToPointer(event);
          }}
          onPointerMove={(event) => {
            if (dragging.current) seekToPointer(event);
          }}
          onPointerUp={() => {
            dragging.current = false;
          }}
          onPointerCancel={() => {
            dragging.current = false;
          }}
          className="focus-ring absolute inset-x-0 top-2.5 h-5 cursor-pointer touch-none overflow-hidden rounded bg-slate-200"
          data-testid="replay-seek"
        >
          <svg className="block h-full w-full" viewBox={`0 0 ${Math.max(1, durationMs)} 10`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect width={known ? shownMs : 0} height="10" className="fill-brand-600" />
            {bars.length > 0 && (
              <g data-testid="replay-heatmap" data-buckets={bars.length}>
                {bars.map((bar) => (
                  <rect key={bar.startMs} x={bar.startMs} width={bar.widthMs} height="4" className="fill-red-600" fillOpacity={0.3 + 0.7 * bar.intensity} />
                ))}
              </g>
            )}
          </svg>
        </div>
        {inBrowser &&
          known &&
          chapters.map((chapter, index) => {
            const current = index === currentChapter;
            return (
              <button
                key={`${chapter.kind}-${chapter.atMs}-${index}`}
                type="button"
                onClick={() => onChapter(chapter)}
                aria-label={chapter.label}
                title={`${KIND_WORDS[chapter.kind]} at ${clockText(chapter.atMs)}: ${chapter.label}`}
                className="focus-ring group absolute top-0 flex h-10 w-6 -translate-x-1/2 cursor-pointer justify-center rounded"
                style={{ left: `${percentAt(chapter.atMs, durationMs)}%` }}
                data-testid="replay-chapter-marker"
                data-at-ms={chapter.atMs}
                data-kind={chapter.kind}
                data-current={current}
              >
                <span
                  aria-hidden="true"
                  className={`block h-full w-1.5 rounded-sm ring-white group-hover:w-2 ${current ? 'ring-2' : 'ring-1'} ${chapter.kind === 'poll' ? 'bg-amber-500' : 'bg-slate-900'}`}
                />
              </button>
            );
          })}
      </div>
      <div className="mt-1 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-sm text-slate-700">
        <p className="tabular-nums" data-testid="replay-time">
          <span className="sr-only">Position: </span>
          {clockText(shownMs)} / {known ? clockText(durationMs) : '–:––'}
        </p>
        {chapters.length > 0 && (
          <p className="flex flex-wrap items-center gap-x-3">
            <span className="inline-flex items-center gap-1">
              <span aria-hidden="true" className="inline-block h-3 w-1.5 rounded-sm bg-slate-900" /> Questions
            </span>
            <span className="inline-flex items-center gap-1">
              <span aria-hidden="true" className="inline-block h-3 w-1.5 rounded-sm bg-amber-500" /> Polls
            </span>
          </p>
        )}
      </div>
      {peak && (
        <p className="mt-1 text-sm text-slate-700" data-testid="replay-lost-peak">
          <span aria-hidden="true" className="mr-1 inline-block h-2 w-4 rounded-sm bg-red-600 align-middle" />
          Red along the bar: when students said “I’m lost”. Most between {clockText(peak.atMs)} and {clockText(peak.untilMs)} ({peak.count}{' '}
          {peak.count === 1 ? 'signal' : 'signals'}).{' '}
          <button type="button" className="link cursor-pointer" onClick={() => onSeek(peak.atMs)}>
            Go there<span className="sr-only"> ({clockText(peak.atMs)})</span>
          </button>
        </p>
      )}
    </div>
  );
}
