import { useId, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useTheme } from 'styled-components';

export type ChartPoint = { at: string; viewers: number };

type ViewersChartProps = {
  points: ChartPoint[];
  /** Read by screen readers (the SVG's <title>) and shown above the chart. */
  title: string;
  /** A sentence for screen readers; a summary (peak, span) is added to it. */
  description?: string;
  /** What a point counts, for labels: "viewers" (default). */
  unit?: string;
  height?: number;
  /** The drawing's width in SVG units: it scales to its container, so a wider one keeps labels small on wide cards. */
  width?: number;
  /** Draw dots on every point (few points, e.g. one per session). */
  showDots?: boolean;
  emptyMessage?: string;
};

const MARGIN = { top: 16, right: 16, bottom: 32, left: 44 };

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

/**
 * Concurrent viewers over time as an area chart: a small hand-written SVG with a y axis of
 * viewer counts, an x axis of local times, and a hover read-out. Accessible as an image with
 * a title and a description that states the peak.
 */
export const ViewersChart = ({
  points: rawPoints,
  title,
  description,
  unit = 'viewers',
  height = 240,
  width: WIDTH = 720,
  showDots,
  emptyMessage = 'No viewer data yet.',
}: ViewersChartProps) => {
  const theme = useTheme() as any;
  const id = useId().replace(/:/g, '');
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<number | null>(null);

  const points = useMemo(
    () =>
      rawPoints
        .map((p) => ({ t: new Date(p.at).getTime(), v: Math.max(0, Number(p.viewers) || 0), at: p.at }))
        .filter((p) => Number.isFinite(p.t))
        .sort((a, b) => a.t - b.t),
    [rawPoints]
  );

  const colors = {
    line: theme?.colors?.primary600 ?? '#4945ff',
    grid: theme?.colors?.neutral200 ?? '#dcdce4',
    text: theme?.colors?.neutral600 ?? '#666687',
    dotFill: theme?.colors?.neutral0 ?? '#ffffff',
  };

  if (points.length === 0 || points.every((p) => p.v === 0)) {
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
  const series = points.length === 1 ? [points[0], { ...points[0], t: points[0].t + 60_000 }] : points;
  const t0 = series[0].t;
  const t1 = series[series.length - 1].t;
  const span = Math.max(1, t1 - t0);
  const peak = series.reduce((best, p) => (p.v > best.v ? p : best), series[0]);
  const yTicks = niceTicks(peak.v);
  const yMax = yTicks[yTicks.length - 1] || 1;

  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + ((t - t0) / span) * innerW;
  const y = (v: number) => MARGIN.top + innerH - (v / yMax) * innerH;

  const line = series.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const area = `${line} L${x(t1).toFixed(1)},${y(0)} L${x(t0).toFixed(1)},${y(0)} Z`;

  // Up to 6 evenly spaced time labels, none repeating the one before it (short classes).
  const xTickCount = Math.min(6, Math.max(2, series.length));
  const xTicks = Array.from({ length: xTickCount }, (_, i) => t0 + (span * i) / (xTickCount - 1)).filter(
    (tick, i, all) => i === 0 || timeLabel(tick, span) !== timeLabel(all[i - 1], span)
  );

  const summary = `${description ? `${description} ` : ''}From ${timeLabel(t0, span)} to ${timeLabel(t1, span)}; peak ${peak.v} ${unit} at ${timeLabel(peak.t, span)}.`;

  const onMove = (event: MouseEvent<SVGSVGElement>) => {
    const svg = svgRef.current;
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * WIDTH;
    let nearest = 0;
    for (let i = 1; i < series.length; i++) {
      if (Math.abs(x(series[i].t) - px) < Math.abs(x(series[nearest].t) - px)) nearest = i;
    }
    setHover(nearest);
  };

  const hovered = hover != null ? series[hover] : null;
  // "1 viewer", "2 viewers" (the unit is given in the plural).
  const count = (n: number) => `${n} ${n === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit}`;

  return (
    <Box>
      <Flex justifyContent="space-between" alignItems="baseline" wrap="wrap" gap={2}>
        <Typography variant="delta" tag="h3" id={`${id}-heading`}>
          {title}
        </Typography>
        <Typography variant="pi" textColor="neutral600" aria-live="polite">
          {hovered
            ? `${new Date(hovered.t).toLocaleString(undefined, { hour: 'numeric', minute: '2-digit', day: 'numeric', month: 'short' })}: ${count(hovered.v)}`
            : `Peak ${count(peak.v)}`}
        </Typography>
      </Flex>
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
            <linearGradient id={`${id}-fill`} x1="0" x2="0" y1="0" y2="1">
              <stop offset="0%" stopColor={colors.line} stopOpacity={0.28} />
              <stop offset="100%" stopColor={colors.line} stopOpacity={0.02} />
            </linearGradient>
          </defs>

          {/* y axis: grid lines and viewer counts */}
          {yTicks.map((tick) => (
            <g key={`y${tick}`}>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke={colors.grid} strokeDasharray={tick ? '4 4' : undefined} />
              <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" fontSize={11} fill={colors.text}>
                {tick}
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

          <path d={area} fill={`url(#${id}-fill)`} />
          <path d={line} fill="none" stroke={colors.line} strokeWidth={2.5} strokeLinejoin="round" strokeLinecap="round" />

          {(showDots || series.length <= 24) &&
            series.map((p, i) => (
              <circle key={i} cx={x(p.t)} cy={y(p.v)} r={3} fill={colors.dotFill} stroke={colors.line} strokeWidth={2}>
                <title>{`${timeLabel(p.t, span)}: ${count(p.v)}`}</title>
              </circle>
            ))}

          {hovered && (
            <g pointerEvents="none">
              <line x1={x(hovered.t)} x2={x(hovered.t)} y1={MARGIN.top} y2={y(0)} stroke={colors.text} strokeOpacity={0.4} />
              <circle cx={x(hovered.t)} cy={y(hovered.v)} r={5} fill={colors.line} stroke={colors.dotFill} strokeWidth={2} />
            </g>
          )}
        </svg>
      </Box>
    </Box>
  );
};
