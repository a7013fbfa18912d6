import { useCallback, useEffect, useState } from 'react';
import { NavLink, useNavigate } from 'react-router-dom';
import {
  ConfirmDialog,
  Layouts,
  Page,
  Pagination,
  useFetchClient,
  useNotification,
  useAuth,
  useQueryParams,
  useRBAC,
} from '@strapi/strapi/admin';
import {
  Box,
  Button,
  Dialog,
  EmptyStateLayout,
  Flex,
  IconButton,
  Link,
  LinkButton,
  Loader,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tabs,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { ArrowClockwise, ChartPie, Cross, Pencil, Plus } from '@strapi/icons';
import { SESSION_ACTIONS } from '../../permissions';
import {
  cancelSession,
  errorMessage,
  formatDateTime,
  formatNumber,
  formatRelative,
  getDashboard,
  getSessionOptions,
  listSessions,
  type SessionDto,
  type SessionList,
  type SessionListParams,
  type SessionOptionsResponse,
  type SessionStatus,
} from '../../api/live';
import { LiveDot, StatusBadge } from '../../components/live/StatusBadge';
import { SessionFormModal } from '../../components/live/SessionFormModal';
import { ANALYTICS_PATH, sessionPath } from './paths';

type Tab = 'upcoming' | 'live' | 'past';
type ListQuery = { tab?: Tab; course?: string; page?: string; pageSize?: string };

const TABS: { value: Tab; label: string }[] = [
  { value: 'upcoming', label: 'Upcoming' },
  { value: 'live', label: 'Live now' },
  { value: 'past', label: 'Past' },
];
const ALL = '__all__';

/**
 * A tab → the API's filter. Upcoming = scheduled or live (live first is what a mentor wants),
 * Past = ended or cancelled. "Live now" asks for upcoming and keeps the LIVE ones: the app's
 * content-API guard (cms/src/middlewares/content-api-guard.ts) refuses any `status` query
 * parameter other than "published" on /api/*, so `status=LIVE` can't be sent today. A mentor
 * has at most a handful of live classes, so one page of 100 is all of them.
 */
const TAB_FILTER: Record<Tab, SessionListParams> = {
  upcoming: { when: 'upcoming' },
  live: { when: 'upcoming', page: '1', pageSize: '100' },
  past: { when: 'past' },
};

const EMPTY: Record<Tab, { text: string; filtered: string }> = {
  upcoming: {
    text: 'No classes coming up. Schedule your next live class, then open it to copy the OBS settings and run a test stream.',
    filtered: 'No upcoming classes for this course.',
  },
  live: {
    text: "You're not live right now. Open an upcoming class, paste its OBS settings and click Start Streaming in OBS: the class goes live as soon as your video arrives.",
    filtered: 'No class of this course is live right now.',
  },
  past: {
    text: "No past classes yet. When a class ends you'll find its viewers, watch time and viewer chart here.",
    filtered: 'No past classes for this course.',
  },
};

const viewersLabel = (session: SessionDto) => {
  if (session.status === 'SCHEDULED' || session.status === 'CANCELLED') return '—';
  if (!session.totalViewers) return session.status === 'LIVE' ? 'No one yet' : 'None';
  return `${formatNumber(session.totalViewers)} joined · peak ${formatNumber(session.peakViewers)}`;
};

/**
 * The classes: tabs Upcoming / Live now / Past, a course filter, pagination. Each row opens the
 * class. Schedule, edit and cancel here; go live from the class page.
 */
export const SessionsList = () => {
  const client = useFetchClient();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(SESSION_ACTIONS);
  const myId = useAuth('LiveClasses', (state) => state.user?.id);
  const [{ query }, setQuery] = useQueryParams<ListQuery>();
  const tab: Tab = TABS.some((t) => t.value === query.tab) ? (query.tab as Tab) : 'upcoming';

  const [list, setList] = useState<SessionList | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [counts, setCounts] = useState<Record<SessionStatus, number> | null>(null);
  const [options, setOptions] = useState<SessionOptionsResponse | null>(null);
  const [reloads, setReloads] = useState(0);
  const [loading, setLoading] = useState(false);
  const [formFor, setFormFor] = useState<SessionDto | 'new' | null>(null);
  const [cancelling, setCancelling] = useState<SessionDto | null>(null);

  const reload = useCallback(() => setReloads((n) => n + 1), []);

  // Tab counts (and whether anything is live) from the dashboard; optional.
  useEffect(() => {
    getDashboard(client)
      .then((data) => setCounts(data.sessions))
      .catch(() => setCounts(null));
  }, [client, reloads]);

  useEffect(() => {
    getSessionOptions(client)
      .then(setOptions)
      .catch(() => setOptions(null));
  }, [client]);

  const params = JSON.stringify({ course: query.course, page: query.page ?? '1', pageSize: query.pageSize ?? '10', ...TAB_FILTER[tab] });
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listSessions(client, JSON.parse(params), controller.signal)
      .then((data) => {
        if (tab === 'live') {
          const live = data.data.filter((session) => session.status === 'LIVE');
          data = { data: live, pagination: { page: 1, pageSize: 100, pageCount: live.length ? 1 : 0, total: live.length } };
        }
        setList(data);
        setFailed(null);
      })
      .catch((error) => !controller.signal.aborted && setFailed(errorMessage(error)))
      .finally(() => !controller.signal.aborted && setLoading(false));
    return () => controller.abort();
  }, [client, params, tab, reloads]);

  // While a class is live, keep the list fresh (viewers, a class ending elsewhere).
  useEffect(() => {
    if (!counts?.LIVE && tab !== 'live') return;
    const timer = setInterval(() => !document.hidden && reload(), 15_000);
    return () => clearInterval(timer);
  }, [counts?.LIVE, tab, reload]);

  const setTab = (value: string) => setQuery({ ...query, tab: value as Tab, page: '1' });
  // qs drops undefined values, so "All courses" just leaves `course` out of the URL.
  const setCourse = (value: string | number) => setQuery({ ...query, course: value === ALL ? undefined : String(value), page: '1' });

  const cancel = async () => {
    if (!cancelling) return;
    try {
      await cancelSession(client, cancelling.id);
      toggleNotification({ type: 'success', message: `"${cancelling.title}" is cancelled.` });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setCancelling(null);
      reload();
    }
  };

  if (failed && !list) {
    return (
      <Page.Main>
        <Layouts.Header title="Live classes" />
        <Layouts.Content>
          <EmptyStateLayout
            content={`Couldn't load your classes: ${failed}`}
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
  if (!list) return <Page.Loading />;

  const { canCreate, canUpdate, canDelete } = allowedActions;
  const courses = options?.courses ?? [];
  const empty = query.course ? EMPTY[tab].filtered : EMPTY[tab].text;

  return (
    <Page.Main>
      <Page.Title>Live classes</Page.Title>
      <Layouts.Header
        title="Live classes"
        subtitle="Schedule classes, stream them from OBS, and see who watched."
        primaryAction={
          canCreate ? (
            <Button startIcon={<Plus />} onClick={() => setFormFor('new')}>
              Schedule a class
            </Button>
          ) : undefined
        }
        secondaryAction={
          <LinkButton tag={NavLink} to={ANALYTICS_PATH} variant="tertiary" startIcon={<ChartPie />}>
            Analytics
          </LinkButton>
        }
      />
      {/* The tabs' root holds their panel too: a tab names the panel it controls (aria-controls). */}
      <Tabs.Root value={tab} onValueChange={setTab} variant="simple">
        <Layouts.Action
          startActions={
            <Tabs.List aria-label="Which classes">
              {TABS.map(({ value, label }) => {
                const count =
                  counts == null
                    ? null
                    : value === 'upcoming'
                      ? counts.SCHEDULED + counts.LIVE
                      : value === 'live'
                        ? counts.LIVE
                        : counts.ENDED + counts.CANCELLED;
                return (
                  <Tabs.Trigger key={value} value={value}>
                    <Flex gap={2} tag="span">
                      {value === 'live' && counts?.LIVE ? <LiveDot aria-hidden /> : null}
                      {label}
                      {count != null ? ` (${count})` : ''}
                    </Flex>
                  </Tabs.Trigger>
                );
              })}
            </Tabs.List>
          }
          endActions={
            <Flex gap={2}>
              {loading && <Loader small>Refreshing</Loader>}
              {courses.length > 1 && (
                <SingleSelect aria-label="Course" size="S" value={query.course ?? ALL} onChange={setCourse}>
                  <SingleSelectOption value={ALL}>All courses</SingleSelectOption>
                  {courses.map((course) => (
                    <SingleSelectOption key={course.documentId} value={course.documentId}>
                      {course.title}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              )}
              <IconButton label="Refresh" onClick={reload} variant="tertiary">
                <ArrowClockwise />
              </IconButton>
            </Flex>
          }
        />
        <Layouts.Content>
          <Tabs.Content value={tab}>
            {list.data.length === 0 ? (
              <EmptyStateLayout
                content={empty}
                action={
                  tab === 'upcoming' && canCreate && !query.course ? (
                    <Button variant="secondary" startIcon={<Plus />} onClick={() => setFormFor('new')}>
                      Schedule a class
                    </Button>
                  ) : tab !== 'upcoming' ? (
                    <Button variant="secondary" onClick={() => setTab('upcoming')}>
                      See upcoming classes
                    </Button>
                  ) : undefined
                }
              />
            ) : (
              <Table colCount={6} rowCount={list.data.length + 1}>
                <Thead>
                  <Tr>
                    {['Class', 'Course', tab === 'past' ? 'Date' : 'Starts', 'Status', 'Viewers', ''].map((label, i) => (
                      <Th key={i}>{label ? <Typography variant="sigma">{label}</Typography> : <VisuallyHidden>Actions</VisuallyHidden>}</Th>
                    ))}
                  </Tr>
                </Thead>
                <Tbody>
                  {list.data.map((session) => (
                    <Tr key={session.id} onClick={() => navigate(sessionPath(session.id))} style={{ cursor: 'pointer' }}>
                      <Td maxWidth="32rem">
                        <Flex direction="column" alignItems="flex-start">
                          <Link tag={NavLink} to={sessionPath(session.id)} onClick={(event: React.MouseEvent) => event.stopPropagation()}>
                            {session.title}
                          </Link>
                          {session.instructor && String(session.instructor.id) !== String(myId) && (
                            <Typography variant="pi" textColor="neutral600">
                              with {session.instructor.name}
                            </Typography>
                          )}
                        </Flex>
                      </Td>
                      <Td>
                        <Typography ellipsis>{session.course?.title ?? '—'}</Typography>
                      </Td>
                      <Td>
                        <Flex direction="column" alignItems="flex-start">
                          <Typography>{formatDateTime(session.startedAt && tab !== 'upcoming' ? session.startedAt : session.scheduledAt)}</Typography>
                          {session.status === 'SCHEDULED' && (
                            <Typography variant="pi" textColor={new Date(session.scheduledAt).getTime() < Date.now() ? 'warning600' : 'neutral600'}>
                              {formatRelative(session.scheduledAt)}
                            </Typography>
                          )}
                        </Flex>
                      </Td>
                      <Td>
                        <StatusBadge status={session.status} />
                      </Td>
                      <Td>
                        <Typography>{viewersLabel(session)}</Typography>
                      </Td>
                      <Td onClick={(event: React.MouseEvent) => event.stopPropagation()}>
                        <Flex gap={1} justifyContent="flex-end">
                          {session.status === 'LIVE' && (
                            <Button size="S" variant="danger-light" onClick={() => navigate(sessionPath(session.id))}>
                              Open live class
                            </Button>
                          )}
                          {session.status === 'SCHEDULED' && canUpdate && (
                            <IconButton label={`Edit "${session.title}"`} variant="ghost" onClick={() => setFormFor(session)}>
                              <Pencil />
                            </IconButton>
                          )}
                          {session.status === 'SCHEDULED' && canDelete && (
                            <IconButton label={`Cancel "${session.title}"`} variant="ghost" onClick={() => setCancelling(session)}>
                              <Cross />
                            </IconButton>
                          )}
                        </Flex>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
            {list.pagination.total > 0 && tab !== 'live' && (
              <Box paddingTop={4}>
                <Pagination.Root pageCount={list.pagination.pageCount} total={list.pagination.total} defaultPageSize={10}>
                  <Pagination.PageSize />
                  <Pagination.Links />
                </Pagination.Root>
              </Box>
            )}
          </Tabs.Content>
        </Layouts.Content>
      </Tabs.Root>

      <SessionFormModal
        open={formFor !== null}
        session={formFor === 'new' ? null : formFor}
        onClose={() => setFormFor(null)}
        onSaved={(saved) => {
          const created = formFor === 'new';
          setFormFor(null);
          if (created) navigate(sessionPath(saved.id));
          else reload();
        }}
      />

      <Dialog.Root open={cancelling !== null} onOpenChange={(open: boolean) => !open && setCancelling(null)}>
        <ConfirmDialog title="Cancel this class?" onConfirm={cancel} variant="danger">
          {cancelling
            ? `"${cancelling.title}" (${formatDateTime(cancelling.scheduledAt)}) disappears from the course page and its stream key stops working. This can't be undone.`
            : ''}
        </ConfirmDialog>
      </Dialog.Root>
    </Page.Main>
  );
};
