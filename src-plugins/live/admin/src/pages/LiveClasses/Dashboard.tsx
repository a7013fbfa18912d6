import { NavLink, useNavigate } from 'react-router-dom';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import {
  Box,
  Button,
  EmptyStateLayout,
  Flex,
  Grid,
  Link,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise, ArrowLeft, Calendar, Clock, Discuss, Play, User } from '@strapi/icons';
import {
  formatDateTime,
  formatDuration,
  formatNumber,
  formatRelative,
  getDashboard,
} from '../../api/live';
import { StatCard } from '../../components/live/StatCard';
import { useLoaded } from '../../components/live/useLoaded';
import { StatusBadge } from '../../components/live/StatusBadge';
import { TimeChart } from '../../components/live/ViewersChart';
import { LIVE_BASE, sessionPath } from './paths';

const Card = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} height="100%">
    <Box paddingBottom={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
    </Box>
    {children}
  </Box>
);

/**
 * Across all of the mentor's classes (everyone's for a super-admin): how many classes, how
 * many students and how long they watched, students per recent class as a chart, what's next.
 */
export const Dashboard = () => {
  const client = useFetchClient();
  const navigate = useNavigate();
  const { data: dashboard, error, reload } = useLoaded(() => getDashboard(client), [client]);

  const back = (
    <Link tag={NavLink} to={LIVE_BASE} startIcon={<ArrowLeft />}>
      All classes
    </Link>
  );

  if (error && !dashboard) {
    return (
      <Page.Main>
        <Layouts.Header navigationAction={back} title="Analytics" />
        <Layouts.Content>
          <EmptyStateLayout
            content={`Couldn't load the analytics: ${error}`}
            action={
              <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={reload}>
                Try again
              </Button>
            }
          />
        </Layouts.Content>
      </Page.Main>
    );
  }
  if (!dashboard) return <Page.Loading />;

  const { sessions, totals, upcoming, recent, engagement } = dashboard;
  const held = sessions.ENDED;
  // Classes without a poll have no participation to draw (not 0 %).
  const participation = engagement
    .filter((c) => c.pollParticipation !== null)
    .map((c) => ({ at: c.at, participation: Math.round((c.pollParticipation ?? 0) * 100) }));

  return (
    <Page.Main>
      <Page.Title>Live classes analytics</Page.Title>
      <Layouts.Header
        navigationAction={back}
        title="Analytics"
        subtitle="How your live classes are doing."
        primaryAction={
          <Button variant="tertiary" startIcon={<ArrowClockwise />} onClick={reload}>
            Refresh
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Grid.Root gap={4}>
            {(
              [
                ['Live now', formatNumber(sessions.LIVE), <Play key="i" />, sessions.LIVE ? 'Open it from the Live tab' : undefined],
                ['Scheduled', formatNumber(sessions.SCHEDULED), <Calendar key="i" />, undefined],
                ['Classes held', formatNumber(held), <Clock key="i" />, sessions.CANCELLED ? `${sessions.CANCELLED} cancelled` : undefined],
                ['Students joined', formatNumber(totals.totalViewers), <User key="i" />, held ? `${(totals.totalViewers / held).toFixed(1)} per class` : undefined],
                ['Average watch time', formatDuration(totals.averageWatchSeconds), <Clock key="i" />, 'per student per class'],
                ['Total watch time', formatDuration(totals.totalWatchSeconds), <Clock key="i" />, undefined],
                ['Chat messages', formatNumber(totals.chatMessages), <Discuss key="i" />, undefined],
              ] as [string, string, React.ReactNode, string | undefined][]
            ).map(([label, value, icon, hint]) => (
              <Grid.Item key={label} col={3} s={6} xs={12} direction="column" alignItems="stretch">
                <StatCard label={label} value={value} icon={icon} hint={hint} />
              </Grid.Item>
            ))}
          </Grid.Root>

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
            <TimeChart
              points={engagement}
              series={[
                { key: 'attendance', label: 'students who joined', kind: 'area' },
                { key: 'attended', label: 'students who attended', kind: 'line', color: 'success600' },
              ]}
              title="Students per class"
              description="Students who joined each of your recent classes, and those who watched enough of it to count as attended, by the class's start time."
              width={1100}
              height={260}
              showDots
              emptyMessage="Once you've held a class, the number of students who joined each one shows here."
            />
          </Box>

          <Grid.Root gap={4}>
            <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
              <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} height="100%">
                <TimeChart
                  points={engagement}
                  series={[
                    { key: 'messages', label: 'chat messages', kind: 'line' },
                    { key: 'questions', label: 'questions', kind: 'line', color: 'secondary600' },
                    { key: 'lostSignals', label: '"I\'m lost" signals', kind: 'line', color: 'danger600' },
                  ]}
                  title="Engagement per class"
                  description="Chat messages, questions asked and “I'm lost” signals in each of your recent classes, by the class's start time."
                  height={260}
                  showDots
                  emptyMessage="Once your students chat, ask or signal in a class, it shows here."
                />
              </Box>
            </Grid.Item>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} height="100%">
                <TimeChart
                  points={participation}
                  series={[{ key: 'participation', label: 'of students voted', kind: 'line', color: 'alternative600' }]}
                  formatValue={(value) => `${Math.round(value)} %`}
                  minMax={100}
                  title="Poll participation per class"
                  description="The share of the students who joined that voted in the average poll of each recent class with polls."
                  width={520}
                  height={260}
                  showDots
                  emptyMessage="Once you've launched polls in a class, how many students voted shows here."
                />
              </Box>
            </Grid.Item>
          </Grid.Root>

          <Grid.Root gap={4}>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <Card title="Coming up">
                {upcoming.length === 0 ? (
                  <Typography textColor="neutral600">Nothing scheduled. Schedule your next class from the class list.</Typography>
                ) : (
                  <Flex direction="column" alignItems="stretch" gap={3} tag="ul">
                    {upcoming.map((s) => (
                      <Flex key={s.id} tag="li" justifyContent="space-between" gap={2}>
                        <Flex direction="column" alignItems="flex-start">
                          <Link tag={NavLink} to={sessionPath(s.id)}>
                            {s.title}
                          </Link>
                          <Typography variant="pi" textColor="neutral600">
                            {s.course?.title ?? '—'} · {formatDateTime(s.scheduledAt)} ({formatRelative(s.scheduledAt)})
                          </Typography>
                        </Flex>
                        <StatusBadge status={s.status} size="S" />
                      </Flex>
                    ))}
                  </Flex>
                )}
              </Card>
            </Grid.Item>
            <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
              <Card title="Recent classes">
                {recent.length === 0 ? (
                  <Typography textColor="neutral600">No classes have ended yet.</Typography>
                ) : (
                  <Table colCount={5} rowCount={recent.length + 1}>
                    <Thead>
                      <Tr>
                        {['Class', 'Date', 'Students', 'Peak', 'Avg watch'].map((label) => (
                          <Th key={label}>
                            <Typography variant="sigma">{label}</Typography>
                          </Th>
                        ))}
                      </Tr>
                    </Thead>
                    <Tbody>
                      {recent.map((s) => (
                        <Tr key={s.id} onClick={() => navigate(sessionPath(s.id))} style={{ cursor: 'pointer' }}>
                          <Td maxWidth="24rem">
                            <Link tag={NavLink} to={sessionPath(s.id)} onClick={(event: React.MouseEvent) => event.stopPropagation()}>
                              {s.title}
                            </Link>
                          </Td>
                          <Td>
                            <Typography>{formatDateTime(s.startedAt ?? s.scheduledAt)}</Typography>
                          </Td>
                          <Td>
                            <Typography>{formatNumber(s.totalViewers)}</Typography>
                          </Td>
                          <Td>
                            <Typography>{formatNumber(s.peakViewers)}</Typography>
                          </Td>
                          <Td>
                            <Typography>{formatDuration(s.averageWatchSeconds)}</Typography>
                          </Td>
                        </Tr>
                      ))}
                    </Tbody>
                  </Table>
                )}
              </Card>
            </Grid.Item>
          </Grid.Root>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
