import { Badge, Box, Flex, Grid, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { formatDuration, formatNumber, type PollEngagement, type SessionEngagement } from '../../api/live';
import { Card } from './Card';
import { StatCard } from './StatCard';
import { TimeChart } from './ViewersChart';

/** Rows of the per-student table drawn at most (the longest-watching first). */
const STUDENT_ROWS = 200;

/** 0.6667 → "67 %"; null → "—". */
export const percentOf = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);

/** A labelled horizontal bar for a share (participation, accuracy); the words carry it for screen readers. */
const ShareBar = ({ label, share, detail, color }: { label: string; share: number | null; detail: string; color: string }) => (
  <Flex direction="column" alignItems="stretch" gap={1}>
    <Flex justifyContent="space-between" gap={2}>
      <Typography variant="pi" fontWeight="semiBold">
        {label}: {percentOf(share)}
      </Typography>
      <Typography variant="pi" textColor="neutral600">
        {detail}
      </Typography>
    </Flex>
    <Box background="neutral150" hasRadius height="0.8rem" aria-hidden>
      <Box background={color} hasRadius height="100%" style={{ width: `${Math.min(100, Math.round((share ?? 0) * 100))}%` }} />
    </Box>
  </Flex>
);

const PollBars = ({ poll, joined }: { poll: PollEngagement; joined: number }) => (
  <Box tag="li" padding={4} hasRadius borderColor="neutral200" aria-label={poll.question}>
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={2} wrap="wrap">
        <Typography fontWeight="bold">{poll.question}</Typography>
        {poll.kind === 'quiz' && <Badge>Quiz</Badge>}
      </Flex>
      <ShareBar label="Participation" share={poll.participationRate} detail={`${formatNumber(poll.votes)} of ${formatNumber(joined)} students voted`} color="primary600" />
      {poll.kind === 'quiz' && (
        <ShareBar
          label="Accuracy"
          share={poll.accuracy}
          detail={poll.votes ? `${formatNumber(poll.correctVotes ?? 0)} of ${formatNumber(poll.votes)} answers right` : 'nobody answered'}
          color="success600"
        />
      )}
    </Flex>
  </Box>
);

const COLUMNS = ['Student', 'Watched', 'Attended', 'Messages', 'Questions', 'Votes', 'Quiz right', '"I\'m lost"'];

const StudentsTable = ({ students }: { students: SessionEngagement['students'] }) => {
  const shown = students.slice(0, STUDENT_ROWS);
  return (
    <Box>
      <Table colCount={COLUMNS.length} rowCount={shown.length + 1}>
        <Thead>
          <Tr>
            {COLUMNS.map((label) => (
              <Th key={label}>
                <Typography variant="sigma">{label}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {shown.map((s) => (
            <Tr key={s.userId}>
              <Td>
                <Typography fontWeight="semiBold">{s.name}</Typography>
              </Td>
              <Td>
                <Typography>{formatDuration(s.attendedSeconds)}</Typography>
              </Td>
              <Td>
                <Typography>{s.attended ? 'Yes' : 'No'}</Typography>
              </Td>
              {[s.messages, s.questions, s.votes, s.quizCorrect, s.signals].map((value, i) => (
                <Td key={i}>
                  <Typography>{formatNumber(value)}</Typography>
                </Td>
              ))}
            </Tr>
          ))}
        </Tbody>
      </Table>
      {students.length > shown.length && (
        <Box paddingTop={2}>
          <Typography variant="pi" textColor="neutral600">
            Showing the {formatNumber(shown.length)} students who watched longest, of {formatNumber(students.length)}.
          </Typography>
        </Box>
      )}
    </Box>
  );
};

/**
 * What the students did in a class: chat, Q&A, polls and quizzes (participation, accuracy), the
 * "I'm lost" signals against the viewers over time, and each student's part.
 */
export const EngagementAnalytics = ({ engagement, joined, title }: { engagement: SessionEngagement; joined: number; title: string }) => {
  const { messages, questions, polls, signals } = engagement;
  const participation = polls.length ? polls.reduce((sum, p) => sum + (p.participationRate ?? 0), 0) / polls.length : null;
  const stats: [string, string, string?][] = [
    ['Chat messages', formatNumber(messages.total), `${formatNumber(messages.students)} from students, ${formatNumber(messages.mentor)} from the mentor`],
    ['Questions asked', formatNumber(questions.asked), `${formatNumber(questions.answered)} answered, ${formatNumber(questions.dismissed)} dismissed`],
    ['Poll participation', percentOf(participation), polls.length ? `average of ${formatNumber(polls.length)} ${polls.length === 1 ? 'poll' : 'polls'}` : 'no polls launched'],
    ['"I\'m lost" signals', formatNumber(signals.lost), `${formatNumber(signals.slowDown)} "slow down", from ${formatNumber(signals.students)} students`],
    ['Attended', formatNumber(engagement.attendedStudents), `of ${formatNumber(joined)} who joined watched enough to count`],
  ];
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Grid.Root gap={4}>
        {stats.map(([label, value, hint]) => (
          <Grid.Item key={label} col={4} s={6} xs={12} direction="column" alignItems="stretch">
            <StatCard label={label} value={value} hint={hint} />
          </Grid.Item>
        ))}
      </Grid.Root>
      <Card>
        <TimeChart
          points={engagement.timeline}
          series={[
            { key: 'viewers', label: 'viewers', kind: 'area' },
            { key: 'lost', label: '"I\'m lost" signals', kind: 'bars', color: 'danger600' },
            { key: 'slowDown', label: '"slow down" signals', kind: 'bars', color: 'warning600' },
          ]}
          title="Viewers over time, with “I'm lost” moments"
          description={`Concurrent viewers during "${title}", with the students' signals where they were sent.`}
          emptyMessage="Nobody watched this class, so there is no timeline."
        />
      </Card>
      <Card title="Polls and quizzes">
        {polls.length === 0 ? (
          <Typography textColor="neutral600">No poll was launched in this class.</Typography>
        ) : (
          <Flex tag="ul" direction="column" alignItems="stretch" gap={3}>
            {polls.map((poll) => (
              <PollBars key={poll.id} poll={poll} joined={joined} />
            ))}
          </Flex>
        )}
      </Card>
      <Card title="Each student's participation">
        {engagement.students.length === 0 ? <Typography textColor="neutral600">No student joined this class.</Typography> : <StudentsTable students={engagement.students} />}
      </Card>
    </Flex>
  );
};
