import { useId } from 'react';
import { Box, Typography } from '@strapi/design-system';
import { useTheme } from 'styled-components';
import { formatNumber, type PollDto } from '../../api/live';

const WIDTH = 720;
const ROW_HEIGHT = 52;
const BAR_HEIGHT = 18;
const LABEL_GAP = 22;
/** Room at the bar's end for "12 votes (40 %)". */
const COUNT_WIDTH = 150;
const MARGIN = { top: 4, bottom: 4 };

const votesWord = (n: number) => `${formatNumber(n)} ${n === 1 ? 'vote' : 'votes'}`;
const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

/** "12 votes (40 %)". */
export const countLabel = (count: number, total: number) => `${votesWord(count)} (${percent(count, total)} %)`;

/**
 * A poll's results as a horizontal bar chart: one bar per option with its count and share, the
 * right answer of a quiz drawn in green and marked. A small hand-written SVG like ViewersChart,
 * read by screen readers as an image whose description lists every option's count.
 */
export const PollResultsChart = ({ poll }: { poll: PollDto }) => {
  const theme = useTheme() as any;
  const id = useId().replace(/:/g, '');
  const counts = poll.options.map((_, index) => poll.results?.counts[index] ?? 0);
  const total = poll.results?.total ?? 0;
  const most = Math.max(1, ...counts);
  const colors = {
    bar: theme?.colors?.primary600 ?? '#4945ff',
    correct: theme?.colors?.success600 ?? '#328048',
    track: theme?.colors?.neutral150 ?? '#eaeaef',
    text: theme?.colors?.neutral800 ?? '#32324d',
    muted: theme?.colors?.neutral600 ?? '#666687',
  };
  const barSpace = WIDTH - COUNT_WIDTH;
  const height = MARGIN.top + MARGIN.bottom + poll.options.length * ROW_HEIGHT;
  const isCorrect = (index: number) => poll.kind === 'quiz' && poll.correctOption === index;

  const title = `Results: ${poll.question}`;
  const description = `${votesWord(total)} in all. ${poll.options
    .map((option, index) => `${option}: ${countLabel(counts[index], total)}${isCorrect(index) ? ', the correct answer' : ''}`)
    .join('; ')}.`;

  return (
    <Box>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        style={{ display: 'block' }}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {poll.options.map((option, index) => {
          const top = MARGIN.top + index * ROW_HEIGHT;
          const barWidth = (counts[index] / most) * barSpace;
          const correct = isCorrect(index);
          return (
            <g key={index}>
              <text x={0} y={top + 14} fontSize={14} fill={colors.text} fontWeight={correct ? 700 : 400}>
                {correct ? `✓ ${option} (correct answer)` : option}
              </text>
              <rect x={0} y={top + LABEL_GAP} width={barSpace} height={BAR_HEIGHT} rx={4} fill={colors.track} />
              {counts[index] > 0 && (
                <rect
                  x={0}
                  y={top + LABEL_GAP}
                  width={Math.max(4, barWidth)}
                  height={BAR_HEIGHT}
                  rx={4}
                  fill={correct ? colors.correct : colors.bar}
                />
              )}
              <text x={barSpace + 10} y={top + LABEL_GAP + BAR_HEIGHT / 2} dy="0.35em" fontSize={13} fill={colors.muted}>
                {countLabel(counts[index], total)}
              </text>
            </g>
          );
        })}
      </svg>
      {!poll.results && (
        <Typography variant="pi" textColor="neutral600">
          No results yet.
        </Typography>
      )}
    </Box>
  );
};
