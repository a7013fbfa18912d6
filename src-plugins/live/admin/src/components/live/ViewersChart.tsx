import { useId, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useTheme } from 'styled-components';

export type ChartPoint = { at: string; viewers: number };

/** One line of a TimeChart: which field of the points it reads, how it is drawn and named. */
export type ChartSeries<K extends string> = {
  key: K;
  /** Plural, lower case ("viewers", "lost signals"): legends, read-outs and the description. */
  label: string;
  /** area: filled under a line (the main figure); line: a line with dots; bars: a bar per point (events counted per bucket). */
  kind?: 'area' | 'line' | 'bars';
  /** A theme colour name (primary600, danger600…). */
  color?: string;
};

type TimeChartProps<K extends string> = {
  points: ({ at: string } & Record<K, number | null>)[];
  series: ChartSeries<K>[];
  /** Read by screen readers (the SVG's <title>) and shown above the chart. */
  title: string;
  /** A sentence for screen readers; a summary (each series' peak, the span) is added to it. */
  description?: string;
  /** How a value reads ("42", "75 %"); whole numbers by default. */
  formatValue?: (value: number) => string;
  /** The y axis's top at least this (100 for percentages). */
  minMax?: number;
  height?: number;
  /** The drawing's width in SVG units: it scales to its container, so a wider one keeps labels small on wide cards. */
  width?: number;
  /** Draw dots on every point (few points, e.g. one per session). */
  showDots?: boolean;
  emptyMessage?: string;
};

const MARGIN = { top: 16, right: 16, bottom: 32, left: 44 };
const FALLBACK_COLORS: Record<string, string> = {
  primary600: '#4945ff',
  danger600: '#d02b20',
  warning600: '#be5d01',
  success600: '#328048',
  secondary600: '#0c75af',
  alternative600: '#9736e8',
};
const DEFAULT_COLORS = ['primary600', 'danger600', 'success600', 'warning600', 'secondary600', 'alternative600'];

/** 0..max → about `count` round ticks (1, 2, 5 × 10ⁿ), integers only. */
function niceTicks(max: number, count = 4) {
  if (max <= 0) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(Math.round(v));
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function timeLabel(ms: number, spanMs: number) {
  const date = new Date(ms);
  if (spanMs > 2 * 86_400_000) return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  if (spanMs > 20 * 3_600_000) return date.toLocaleString(undefined, { weekday: 'short', hour: 'numeric' });
  if (spanMs < 10 * 60_000) return date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
  return date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

const wholeNumber = (value: number) => String(Math.round(value));

/**
 * Figures over time: a small hand-written SVG with a y axis of counts, an x axis of local times,
 * one or more series (filled area, lines, or bars per point) sharing both, a legend, and a hover
 * read-out of every series at the nearest point. Accessible as an image with a title and a
 * description that states each series' peak.
 */
export function TimeChart<K extends string>({
  points: rawPoints,
  series,
  title,
  description,
  formatValue = wholeNumber,
  minMax = 0,
  height = 240,
  width: WIDTH = 720,
  showDots,
  emptyMessage = 'No data yet.',
}: TimeChartProps<K>) {
  const theme = useTheme() as any;
  const id = useId().replace(/:/g, '');
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<number | null>(null);

  const points = useMemo(
    () =>
      rawPoints
        .map((p) => ({ t: new Date(p.at).getTime(), values: series.map((s) => Math.max(0, Number(p[s.key]) || 0)) }))
        .filter((p) => Number.isFinite(p.t))
        .sort((a, b) => a.t - b.t),
    [rawPoints, series]
  );

  const colorOf = (s: ChartSeries<K>, i: number) => {
    const name = s.color ?? DEFAULT_COLORS[i % DEFAULT_COLORS.length];
    return theme?.colors?.[name] ?? FALLBACK_COLORS[name] ?? FALLBACK_COLORS.primary600;
  };
  const colors = {
    grid: theme?.colors?.neutral200 ?? '#dcdce4',
    text: theme?.colors?.neutral600 ?? '#666687',
    dotFill: theme?.colors?.neutral0 ?? '#ffffff',
  };

  if (points.length === 0 || points.every((p) => p.values.every((v) => v === 0))) {
    return (
      <Box>
        <Typography variant="delta" tag="h3">
          {title}
        </Typography>
        <Box paddingTop={4} paddingBottom={4}>
          <Typography textColor="neutral600">{emptyMessage}</Typography>
        </Box>
      </Box>
    );
  }

  // One point only: draw it as a flat line across a minute so the chart still reads.
  const drawn = points.length === 1 ? [points[0], { ...points[0], t: points[0].t + 60_000 }] : points;
  const t0 = drawn[0].t;
  const t1 = drawn[drawn.length - 1].t;
  const span = Math.max(1, t1 - t0);
  const peaks = series.map((_, s) => drawn.reduce((best, p) => (p.values[s] > best.values[s] ? p : best), drawn[0]));
  const yTicks = niceTicks(Math.max(minMax, ...peaks.map((p, s) => p.values[s])));
  const yMax = yTicks[yTicks.length - 1] || 1;

  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + ((t - t0) / span) * innerW;
  const y = (v: number) => MARGIN.top + innerH - (v / yMax) * innerH;

  const barSeries = series.map((s, i) => i).filter((i) => series[i].kind === 'bars');
  const slot = points.length > 1 ? innerW / (points.length - 1) : innerW;
  const barWidth = Math.max(2, Math.min(14, (slot * 0.7) / Math.max(1, barSeries.length)));

  // Up to 6 evenly spaced time labels, none repeating the one before it (short classes).
  const xTickCount = Math.min(6, Math.max(2, drawn.length));
  const xTicks = Array.from({ length: xTickCount }, (_, i) => t0 + (span * i) / (xTickCount - 1)).filter(
    (tick, i, all) => i === 0 || timeLabel(tick, span) !== timeLabel(all[i - 1], span)
  );

  // "1 viewer", "2 viewers" (labels are given in the plural); several series read "label: value" instead.
  const count = (value: number, label: string) => {
    const text = formatValue(value);
    return `${text} ${text === '1' && label.endsWith('s') ? label.slice(0, -1) : label}`;
  };
  const figure = (value: number, s: ChartSeries<K>) => (series.length === 1 ? count(value, s.label) : `${s.label}: ${formatValue(value)}`);
  const summary = `${description ? `${description} ` : ''}From ${timeLabel(t0, span)} to ${timeLabel(t1, span)}; ${series
    .map((s, i) => (series.length === 1 ? `peak ${count(peaks[i].values[i], s.label)}` : `${s.label}: peak ${formatValue(peaks[i].values[i])}`) + ` at ${timeLabel(peaks[i].t, span)}`)
    .join('; ')}.`;

  const onMove = (event: MouseEvent<SVGSVGElement>) => {
    const svg = svgRef.current;
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * WIDTH;
    let nearest = 0;
    for (let i = 1; i < drawn.length; i++) {
      if (Math.abs(x(drawn[i].t) - px) < Math.abs(x(drawn[nearest].t) - px)) nearest = i;
    }
    setHover(nearest);
  };

  const hovered = hover != null ? drawn[hover] : null;
  const readOut = (p: (typeof drawn)[number]) => series.map((s, i) => figure(p.values[i], s)).join(', ');

  return (
    <Box>
      <Flex justifyContent="space-between" alignItems="baseline" wrap="wrap" gap={2}>
        <Typography variant="delta" tag="h3" id={`${id}-heading`}>
          {title}
        </Typography>
        <Typography variant="pi" textColor="neutral600" aria-live="polite">
          {hovered
            ? `${new Date(hovered.t).toLocaleString(undefined, { hour: 'numeric', minute: '2-digit', day: 'numeric', month: 'short' })}: ${readOut(hovered)}`
            : series.length === 1
              ? `Peak ${count(peaks[0].values[0], series[0].label)}`
              : null}
        </Typography>
      </Flex>
      {series.length > 1 && (
        <Flex gap={4} wrap="wrap" paddingTop={2} aria-hidden>
          {series.map((s, i) => (
            <Flex key={s.key} gap={2} alignItems="center">
              <span style={{ display: 'inline-block', width: 12, height: s.kind === 'bars' ? 12 : 3, background: colorOf(s, i), borderRadius: 2 }} />
              <Typography variant="pi" textColor="neutral700">
                {s.label.charAt(0).toUpperCase() + s.label.slice(1)}
              </Typography>
            </Flex>
          ))}
        </Flex>
      )}
      <Box paddingTop={3}>
        <svg
          ref={svgRef}
          viewBox={`0 0 ${WIDTH} ${height}`}
          width="100%"
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          style={{ display: 'block', maxHeight: height * 1.4, overflow: 'visible' }}
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          <defs>
            {series.map((s, i) => (
              <linearGradient key={s.key} id={`${id}-fill-${i}`} x1="0" x2="0" y1="0" y2="1">
                <stop offset="0%" stopColor={colorOf(s, i)} stopOpacity={0.28} />
                <stop offset="100%" stopColor={colorOf(s, i)} stopOpacity={0.02} />
              </linearGradient>
            ))}
          </defs>

          {/* y axis: grid lines and counts */}
          {yTicks.map((tick) => (
            <g key={`y${tick}`}>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke={colors.grid} strokeDasharray={tick ? '4 4' : undefined} />
              <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" fontSize={11} fill={colors.text}>
                {formatValue(tick)}
              </text>
            </g>
          ))}

          {/* x axis: local times */}
          {xTicks.map((tick, i) => (
            <text
              key={`x${i}`}
              x={x(tick)}
              y={height - MARGIN.bottom + 20}
              textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
              fontSize={11}
              fill={colors.text}
            >
              {timeLabel(tick, span)}
            </text>
          ))}

          {series.map((s, i) => {
            const color = colorOf(s, i);
            if (s.kind === 'bars') {
              const offset = (barSeries.indexOf(i) - (barSeries.length - 1) / 2) * barWidth;
              return (
                <g key={s.key}>
                  {points.map((p, j) =>
                    p.values[i] > 0 ? (
                      <rect key={j} x={x(p.t) + offset - barWidth / 2} y={y(p.values[i])} width={barWidth} height={y(0) - y(p.values[i])} fill={color} rx={1.5}>
                        <title>{`${timeLabel(p.t, span)}: ${figure(p.values[i], s)}`}</title>
                      </rect>
                    ) : null
                  )}
                </g>
              );
            }
            const line = drawn.map((p, j) => `${j ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.values[i]).toFixed(1)}`).join(' ');
            const area = `${line} L${x(t1).toFixed(1)},${y(0)} L${x(t0).toFixed(1)},${y(0)} Z`;
            return (
              <g key={s.key}>
                {(s.kind ?? 'area') === 'area' && <path d={area} fill={`url(#${id}-fill-${i})`} />}
                <path d={line} fill="none" stroke={color} strokeWidth={2.5} strokeLinejoin="round" strokeLinecap="round" />
                {(showDots || drawn.length <= 24) &&
                  drawn.map((p, j) => (
                    <circle key={j} cx={x(p.t)} cy={y(p.values[i])} r={3} fill={colors.dotFill} stroke={color} strokeWidth={2}>
                      <title>{`${timeLabel(p.t, span)}: ${figure(p.values[i], s)}`}</title>
                    </circle>
                  ))}
              </g>
            );
          })}

          {hovered && (
            <g pointerEvents="none">
              <line x1={x(hovered.t)} x2={x(hovered.t)} y1={MARGIN.top} y2={y(0)} stroke={colors.text} strokeOpacity={0.4} />
              {series.map((s, i) =>
                s.kind === 'bars' ? null : <circle key={s.key} cx={x(hovered.t)} cy={y(hovered.values[i])} r={5} fill={colorOf(s, i)} stroke={colors.dotFill} strokeWidth={2} />
              )}
            </g>
          )}
        </svg>
      </Box>
    </Box>
  );
}

const VIEWERS_SERIES = { key: 'viewers', kind: 'area' } as const;

/** Concurrent viewers (or any one count) over time: a TimeChart with one filled series. */
export const ViewersChart = ({
  points,
  unit = 'viewers',
  emptyMessage = 'No viewer data yet.',
  ...rest
}: Omit<TimeChartProps<'viewers'>, 'series' | 'points' | 'formatValue' | 'minMax'> & { points: ChartPoint[]; unit?: string }) => (
  <TimeChart points={points} series={[{ ...VIEWERS_SERIES, label: unit }]} emptyMessage={emptyMessage} {...rest} />
);
