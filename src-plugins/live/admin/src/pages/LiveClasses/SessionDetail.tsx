import { useCallback, useEffect, useRef, useState } from 'react';
import { NavLink, useParams } from 'react-router-dom';
import { ConfirmDialog, Layouts, Page, useAuth, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { Box, Button, Dialog, Flex, Grid, Link, Loader, Typography } from '@strapi/design-system';
import { ArrowLeft, Clock, Cross, Pencil, Play, Stop, User } from '@strapi/icons';
import { SESSION_ACTIONS } from '../../permissions';
import {
  cancelSession,
  endSession,
  errorMessage,
  formatClock,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatRelative,
  getAnalytics,
  getSession,
  getStatus,
  getViewers,
  startSession,
  toLiveApiError,
  type SessionDto,
  type StatusResponse,
  type ViewerDto,
  type ViewersResponse,
} from '../../api/live';
import { useLoaded } from '../../components/live/useLoaded';
import { StatusBadge } from '../../components/live/StatusBadge';
import { Notice } from '../../components/live/Notice';
import { StatCard } from '../../components/live/StatCard';
import { StreamHealthCard } from '../../components/live/StreamHealthCard';
import { ObsSettingsCard } from '../../components/live/ObsSettingsCard';
import { PreviewPlayer } from '../../components/live/PreviewPlayer';
import { EngagementAnalytics } from '../../components/live/EngagementAnalytics';
import { SessionFormModal } from '../../components/live/SessionFormModal';
import { Card } from '../../components/live/Card';
import { ClassChat } from '../../components/live/ClassChat';
import { useClassroomSocket } from '../../components/live/useClassroomSocket';
import { AttendanceCard } from '../../components/live/AttendanceCard';
import { ModerationLogCard } from '../../components/live/ModerationLogCard';
import { ChatHistoryCard } from '../../components/live/ChatHistoryCard';
import { PollsCard } from '../../components/live/PollsCard';
import { QuestionQueue } from '../../components/live/QuestionQueue';
import { LostMeter } from '../../components/live/LostMeter';
import { PollsReviewCard, QuestionsReviewCard } from '../../components/live/EngagementReview';
import { LIVE_BASE } from './paths';
import { LoadFailed } from '../../components/live/LoadFailed';
import { RecordingCard } from '../../components/live/RecordingCard';

const POLL_MS = 3000;

type Pending = 'start' | 'end' | 'cancel' | null;

/** "Live for 00:12:34", ticking. */
const LiveClock = ({ since }: { since: string | null }) => {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!since) return null;
  return (
    <Typography variant="omega" textColor="danger600" fontWeight="semiBold" aria-label="Time on air">
      On air {formatClock((now - new Date(since).getTime()) / 1000)}
    </Typography>
  );
};

/** The class's facts: when, course, instructor, recording, description. */
const DetailsCard = ({ session }: { session: SessionDto }) => {
  const rows: [string, React.ReactNode][] = [
    ['Course', session.course?.title ?? '—'],
    ['Scheduled', formatDateTime(session.scheduledAt)],
    ...(session.startedAt ? ([['Started', formatDateTime(session.startedAt)]] as [string, string][]) : []),
    ...(session.endedAt ? ([['Ended', formatDateTime(session.endedAt)]] as [string, string][]) : []),
    ['Instructor', session.instructor?.name ?? '—'],
    ['Recording', session.recording ? 'On: the class is recorded; the recording appears below when it ends' : 'Off'],
    ['Video', session.provider === 'ivs' ? 'Amazon IVS' : 'Built-in streaming server'],
  ];
  return (
    <Card title="About this class">
      <Flex direction="column" alignItems="stretch" gap={3}>
        {rows.map(([label, value]) => (
          <Flex key={label} gap={4} alignItems="flex-start">
            <Box width="9rem" shrink={0}>
              <Typography variant="sigma" textColor="neutral600">
                {label}
              </Typography>
            </Box>
            <Typography>{value}</Typography>
          </Flex>
        ))}
        {session.description && (
          <Box paddingTop={2}>
            <Typography textColor="neutral700" style={{ whiteSpace: 'pre-wrap' }}>
              {session.description}
            </Typography>
          </Box>
        )}
      </Flex>
    </Card>
  );
};

/** Totals, engagement (chat, Q&A, polls, "I'm lost" over the viewers timeline, each student) of a class that has ended. */
const AnalyticsSection = ({ sessionId }: { sessionId: string }) => {
  const client = useFetchClient();
  const { data: analytics, error, reload } = useLoaded(() => getAnalytics(client, sessionId), [client, sessionId]);

  if (error) {
    return (
      <LoadFailed title="Couldn't load this class's analytics" error={error} onRetry={reload} />
    );
  }
  if (!analytics) {
    return (
      <Card>
        <Flex gap={2}>
          <Loader small>Loading analytics</Loader>
          <Typography textColor="neutral600">Loading analytics…</Typography>
        </Flex>
      </Card>
    );
  }
  const t = analytics.totals;
  const stats: [string, string, string?][] = [
    ['Students joined', formatNumber(t.totalViewers)],
    ['Peak viewers', formatNumber(t.peakViewers), 'watching at the same time'],
    ['Average watch time', formatDuration(t.averageWatchSeconds), t.durationSeconds ? `of ${formatDuration(t.durationSeconds)}` : undefined],
    ['Total watch time', formatDuration(t.totalWatchSeconds)],
    ['Class length', formatDuration(t.durationSeconds)],
    // Chat messages are among the engagement figures below (by students and the mentor).
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
      <EngagementAnalytics engagement={analytics.engagement} joined={t.totalViewers} title={analytics.session.title} />
    </Flex>
  );
};

/**
 * Current viewers as a big number, with the peak and who is watching: live from the chat's socket
 * (names and open tabs) when it is connected, from the status poll otherwise.
 */
const ViewersCard = ({
  status,
  viewers,
  liveCount,
  liveViewers,
}: {
  status: StatusResponse | null;
  viewers: ViewersResponse | null;
  liveCount: number | null;
  liveViewers: ViewerDto[] | null;
}) => {
  const count = liveCount ?? status?.viewers;
  const list: { userId: number; name: string; since: string; connections?: number }[] =
    liveViewers ?? viewers?.viewers.map((viewer) => ({ userId: viewer.userId, name: viewer.name, since: viewer.joinedAt })) ?? [];
  return (
    <Card>
      <Typography variant="sigma" textColor="neutral600">
        Watching now
      </Typography>
      <Typography tag="p" fontWeight="bold" style={{ fontSize: '4.8rem', lineHeight: 1.1 }} aria-live="polite">
        {count == null ? '—' : formatNumber(count)}
      </Typography>
      {viewers && (
        <Typography variant="pi" textColor="neutral600">
          Peak {formatNumber(viewers.peak)} · {formatNumber(viewers.total)} joined so far
        </Typography>
      )}
      {list.length > 0 && (
        <Box paddingTop={4}>
          <Flex direction="column" alignItems="stretch" gap={2} tag="ul" aria-label="Students watching">
            {list.slice(0, 12).map((viewer) => (
              <Flex key={viewer.userId} tag="li" gap={2} justifyContent="space-between">
                {/* min-width 0 lets a long name shrink to its ellipsis instead of pushing the time out of the card */}
                <Flex gap={2} style={{ minWidth: 0 }}>
                  <User aria-hidden style={{ flexShrink: 0 }} />
                  <Typography ellipsis>{viewer.name}</Typography>
                  {viewer.connections !== undefined && viewer.connections > 1 && (
                    <Typography variant="pi" textColor="neutral600" style={{ flexShrink: 0 }}>
                      {viewer.connections} tabs
                    </Typography>
                  )}
                </Flex>
                <Typography variant="pi" textColor="neutral600" style={{ flexShrink: 0 }}>
                  {formatRelative(viewer.since)}
                </Typography>
              </Flex>
            ))}
            {list.length > 12 && (
              <Typography variant="pi" textColor="neutral600">
                and {list.length - 12} more
              </Typography>
            )}
          </Flex>
        </Box>
      )}
    </Card>
  );
};

/**
 * One class. Before: OBS settings and a pre-flight stream check, the chat, poll drafts and early
 * questions, "Go live". During: the muted preview, stream health and viewers (refreshed every
 * 3 s), the chat, polls with live results, the question queue, the "I'm lost" meter, and "End
 * class". After: analytics, the polls' final results and the questions.
 */
export const SessionDetail = () => {
  const { id = '' } = useParams<{ id: string }>();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(SESSION_ACTIONS);
  const myId = useAuth('LiveClasses', (state) => state.user?.id);

  const [session, setSession] = useState<SessionDto | null>(null);
  const [loadError, setLoadError] = useState<{ status?: number; message: string } | null>(null);
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [viewers, setViewers] = useState<ViewersResponse | null>(null);
  const [confirm, setConfirm] = useState<Pending>(null);
  const [working, setWorking] = useState<Pending>(null);
  const [editing, setEditing] = useState(false);
  const sessionStatus = session?.status;
  const statusRef = useRef(sessionStatus);
  statusRef.current = sessionStatus;
  // One socket for the page: the chat, the live viewer list, Q&A, polls and the "I'm lost" meter share it.
  const classroom = useClassroomSocket(client, id, sessionStatus === 'LIVE' || sessionStatus === 'SCHEDULED');

  const load = useCallback(async () => {
    try {
      const data = await getSession(client, id);
      setSession(data);
      setLoadError(null);
      return data;
    } catch (error) {
      const apiError = toLiveApiError(error);
      setLoadError({ status: apiError.status, message: apiError.message });
      return null;
    }
  }, [client, id]);

  useEffect(() => {
    setSession(null);
    setStatus(null);
    setViewers(null);
    load();
  }, [load]);

  // Poll the stream while the class can still be streamed to. A status change seen here (OBS
  // connected, or the class ended elsewhere) reloads the session.
  useEffect(() => {
    if (sessionStatus !== 'LIVE' && sessionStatus !== 'SCHEDULED') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ticks = 0;
    const controller = new AbortController();

    const tick = async () => {
      if (stopped) return;
      if (!document.hidden) {
        try {
          const data = await getStatus(client, id, controller.signal);
          if (stopped) return;
          setStatus(data);
          setStatusError(null);
          if (data.status !== statusRef.current) {
            const before = statusRef.current;
            const fresh = await load();
            if (fresh?.status === 'LIVE' && before === 'SCHEDULED') {
              toggleNotification({ type: 'success', message: "Your video is arriving: you're live! Students can join now." });
            } else if (fresh?.status === 'ENDED' && before === 'LIVE') {
              toggleNotification({ type: 'info', message: 'The class has ended.' });
            }
          }
          if (data.status === 'LIVE' && ticks % 3 === 0) {
            getViewers(client, id, controller.signal)
              .then((v) => !stopped && setViewers(v))
              .catch(() => undefined);
          }
        } catch (error) {
          if (!stopped) setStatusError(errorMessage(error));
        }
        ticks += 1;
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, id, sessionStatus, load, toggleNotification]);

  const run = async (action: Exclude<Pending, null>) => {
    setWorking(action);
    try {
      const fn = action === 'start' ? startSession : action === 'end' ? endSession : cancelSession;
      const updated = await fn(client, id);
      setSession(updated);
      toggleNotification({
        type: 'success',
        message:
          action === 'start'
            ? "You're live! Students can join now."
            : action === 'end'
              ? 'Class ended. Stop streaming in OBS; the analytics are below.'
              : 'Class cancelled. Students will no longer see it.',
      });
    } catch (error) {
      // 409 = an illegal transition (e.g. already ended): the server says why.
      toggleNotification({ type: 'danger', message: errorMessage(error) });
      load();
    } finally {
      setWorking(null);
      setConfirm(null);
    }
  };

  const goLive = () => {
    // Going live without video leaves students on a waiting screen: ask first.
    if (!status?.stream.live) setConfirm('start');
    else run('start');
  };

  const back = (
    <Link tag={NavLink} to={LIVE_BASE} startIcon={<ArrowLeft />}>
      All classes
    </Link>
  );

  if (loadError && !session) {
    // The API answers 403 for another mentor's class and 404 for no class: to this mentor, both are "not one of yours".
    const notFound = loadError.status === 404 || loadError.status === 403;
    return (
      <Page.Main>
        <Layouts.Header navigationAction={back} title={notFound ? 'Class not found' : "Couldn't load this class"} />
        <Layouts.Content>
          <Notice
            variant="danger"
                        title={notFound ? "This class doesn't exist, or it isn't one of yours." : loadError.message}
            action={
              !notFound ? (
                <Button variant="tertiary" size="S" onClick={load}>
                  Try again
                </Button>
              ) : undefined
            }
          >
            {notFound ? 'Go back to your classes and pick another one.' : 'Check your connection and try again.'}
          </Notice>
        </Layouts.Content>
      </Page.Main>
    );
  }
  if (!session) return <Page.Loading />;

  const { canControl, canUpdate, canDelete, canStreamKey } = allowedActions;
  const isLive = session.status === 'LIVE';
  const isScheduled = session.status === 'SCHEDULED';

  const actions = (
    <Flex gap={2} wrap="wrap">
      {isScheduled && canUpdate && (
        <Button variant="tertiary" startIcon={<Pencil />} onClick={() => setEditing(true)}>
          Edit
        </Button>
      )}
      {isScheduled && canDelete && (
        <Button variant="danger-light" startIcon={<Cross />} onClick={() => setConfirm('cancel')} loading={working === 'cancel'}>
          Cancel class
        </Button>
      )}
      {isScheduled && canControl && (
        <Button variant="success" size="L" startIcon={<Play />} onClick={goLive} loading={working === 'start'}>
          Go live
        </Button>
      )}
      {isLive && canControl && (
        <Button variant="danger" size="L" startIcon={<Stop />} onClick={() => setConfirm('end')} loading={working === 'end'}>
          End class
        </Button>
      )}
    </Flex>
  );

  return (
    <Page.Main>
      <Page.Title>{session.title}</Page.Title>
      <Layouts.Header
        navigationAction={back}
        title={session.title}
        subtitle={
          <Flex gap={3} wrap="wrap" paddingTop={1}>
            <StatusBadge status={session.status} />
            {isLive && <LiveClock since={session.startedAt} />}
            <Typography textColor="neutral600">{session.course?.title ?? 'No course'}</Typography>
            <Flex gap={1} tag="span">
              <Clock aria-hidden fill="neutral500" />
              <Typography textColor="neutral600">
                {formatDateTime(session.scheduledAt)}
                {isScheduled && ` (${formatRelative(session.scheduledAt)})`}
              </Typography>
            </Flex>
            {session.instructor && String(session.instructor.id) !== String(myId) && (
              <Typography textColor="neutral600">with {session.instructor.name}</Typography>
            )}
          </Flex>
        }
        primaryAction={actions}
      />
      <Layouts.Content>
        {session.status === 'CANCELLED' && (
          <Box paddingBottom={4}>
            <Notice variant="default" title="This class was cancelled">
              Students don't see it any more. Schedule a new class from the list if you want to run it.
            </Notice>
          </Box>
        )}
        {isScheduled && !canControl && (
          <Box paddingBottom={4}>
            <Notice variant="default" title="You can't start this class">
              Your role doesn't allow going live. Ask an administrator for the "control" permission of live sessions.
            </Notice>
          </Box>
        )}

        <Grid.Root gap={4}>
          <Grid.Item col={8} s={12} direction="column" alignItems="stretch" gap={4}>
            {isLive && (
              <Card title="Preview">
                <PreviewPlayer sessionId={session.id} receiving={Boolean(status?.stream.live)} />
              </Card>
            )}
            {/* While live it shows only once the recording has started ("Recording…"). */}
            {isLive && <RecordingCard session={session} canUpdate={Boolean(canUpdate)} canDelete={Boolean(canDelete)} />}
            {isLive && <ClassChat classroom={classroom} />}
            {isLive && <PollsCard classroom={classroom} sessionId={session.id} live />}
            {(isLive || isScheduled) && <StreamHealthCard sessionStatus={session.status} status={status} error={statusError} />}
            {isScheduled && <ClassChat classroom={classroom} />}
            {isScheduled && <PollsCard classroom={classroom} sessionId={session.id} live={false} />}
            {session.status === 'ENDED' && (
              <>
                <RecordingCard session={session} canUpdate={Boolean(canUpdate)} canDelete={Boolean(canDelete)} />
                <AnalyticsSection sessionId={session.id} />
                <PollsReviewCard sessionId={session.id} />
                <AttendanceCard sessionId={session.id} />
                <ChatHistoryCard sessionId={session.id} />
              </>
            )}
            {(isScheduled || session.status === 'CANCELLED') && <DetailsCard session={session} />}
          </Grid.Item>

          <Grid.Item col={4} s={12} direction="column" alignItems="stretch" gap={4}>
            {isLive && (
              <ViewersCard
                status={status}
                viewers={viewers}
                liveCount={classroom.connection.phase === 'connected' ? classroom.viewerCount : null}
                liveViewers={classroom.connection.phase === 'connected' ? classroom.viewers : null}
              />
            )}
            {isLive && <LostMeter meter={classroom.meter} connected={classroom.connection.phase === 'connected'} />}
            {(isLive || isScheduled) && <QuestionQueue classroom={classroom} />}
            {(isLive || isScheduled) && <ObsSettingsCard session={session} canUseStreamKey={Boolean(canStreamKey)} />}
            {session.status === 'ENDED' && <QuestionsReviewCard sessionId={session.id} />}
            {session.status === 'ENDED' && <ModerationLogCard sessionId={session.id} />}
            {(isLive || session.status === 'ENDED') && <DetailsCard session={session} />}
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>

      <Dialog.Root open={confirm !== null} onOpenChange={(open: boolean) => !open && !working && setConfirm(null)}>
        {confirm === 'end' && (
          <ConfirmDialog title="End the class for everyone?" onConfirm={() => run('end')} variant="danger">
            Students are disconnected and the class can't be restarted. Then stop
            streaming in OBS.
          </ConfirmDialog>
        )}
        {confirm === 'cancel' && (
          <ConfirmDialog title="Cancel this class?" onConfirm={() => run('cancel')} variant="danger">
            "{session.title}" disappears from the course page and its stream key stops working. This can't be undone.
          </ConfirmDialog>
        )}
        {confirm === 'start' && (
          <ConfirmDialog title="OBS isn't streaming yet" onConfirm={() => run('start')} variant="default">
            We aren't receiving video for this class yet. If you go live now, students can join and wait on a "starting soon"
            screen until you click Start Streaming in OBS. (Starting OBS alone also takes the class live.) Go live anyway?
          </ConfirmDialog>
        )}
      </Dialog.Root>

      <SessionFormModal
        open={editing}
        session={session}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setSession(saved);
          setEditing(false);
        }}
      />
    </Page.Main>
  );
};
