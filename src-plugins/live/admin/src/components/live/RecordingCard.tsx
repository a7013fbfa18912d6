import { useCallback, useEffect, useId, useRef, useState, type MouseEvent } from 'react';
import { NavLink } from 'react-router-dom';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Badge, Box, Button, Dialog, Flex, Grid, Link, LinkButton, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Check, Download, PaperPlane, Trash } from '@strapi/icons';
import {
  deleteRecording,
  errorMessage,
  formatBytes,
  formatDateTime,
  formatDuration,
  getRecording,
  retryRecording,
  type PanelRecordingDto,
  type PublishRecordingResponse,
  type RecordingStatus,
  type SessionDto,
} from '../../api/live';
import { Card } from './Card';
import { Notice } from './Notice';
import { LiveDot } from './StatusBadge';
import { RecordingProgress } from './RecordingProgress';
import { RecordingPreview, type RecordingPreviewHandle } from './RecordingPreview';
import { RecordingThumbnailStrip } from './RecordingThumbnailStrip';
import { RecordingPublishDialog } from './RecordingPublishDialog';

/** While a recording is being made or processed: the stage and progress move on every poll. */
const BUSY_POLL_MS = 2_000;
/** A live class whose recording hasn't started: the row appears when the encoder's video arrives. */
const WAITING_POLL_MS = 5_000;
/** Amazon IVS reports a recording through EventBridge, a little after the class: look again for this long. */
const IVS_REPORT_WINDOW_MS = 15 * 60_000;
const IVS_POLL_MS = 10_000;
/** Fresh signed URLs at most this often, however many thumbnails fail at once. */
const REFRESH_AT_MOST_EVERY_MS = 10_000;

/** The content manager's edit page of a lesson (react-router adds the admin's basename). */
export const lessonEditPath = (lessonId: string) => `/content-manager/collection-types/api::lesson.lesson/${encodeURIComponent(lessonId)}`;

type Loaded =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'loaded'; recording: PanelRecordingDto | null }
  | { phase: 'deleted' };

const STATUS_BADGE: Record<RecordingStatus, { label: string; backgroundColor: string; textColor: string }> = {
  // Colour pairs chosen for WCAG AA on 11 px text, as StatusBadge does.
  recording: { label: 'Recording', backgroundColor: 'danger100', textColor: 'danger700' },
  processing: { label: 'Processing', backgroundColor: 'primary100', textColor: 'primary700' },
  ready: { label: 'Ready', backgroundColor: 'success100', textColor: 'success700' },
  failed: { label: 'Failed', backgroundColor: 'danger100', textColor: 'danger700' },
};

const isBusy = (status: RecordingStatus) => status === 'recording' || status === 'processing';

function endedRecently(session: SessionDto) {
  return Boolean(session.endedAt) && Date.now() - new Date(session.endedAt!).getTime() < IVS_REPORT_WINDOW_MS;
}

/** How long until the next look at the API, or null when nothing will change by itself. */
function pollDelay(recording: PanelRecordingDto | null, session: SessionDto): number | null {
  if (recording) return isBusy(recording.status) ? BUSY_POLL_MS : null;
  if (!session.recording) return null;
  if (session.status === 'LIVE') return WAITING_POLL_MS;
  if (session.status === 'ENDED' && session.provider === 'ivs' && endedRecently(session)) return IVS_POLL_MS;
  return null;
}

/** "Deleted automatically in 3 days unless published." */
function retentionWords(days: number) {
  if (days <= 0) return 'Deleted automatically within a day unless published.';
  return `Deleted automatically in ${days} ${days === 1 ? 'day' : 'days'} unless published.`;
}

/** The thumbnail at or just before `ms`, to outline in the strip while the preview plays. */
function thumbnailAt(recording: PanelRecordingDto, ms: number): number | null {
  let found: number | null = null;
  for (const thumbnail of recording.thumbnails) {
    if (thumbnail.atMs <= ms + 250) found = thumbnail.atMs;
    else break;
  }
  return found;
}

/**
 * A class's recording on its page: "Recording…" while the class is live; after it, the
 * processing stage and progress (polled every 2 s until ready or failed), then the preview, the
 * thumbnail strip (a thumbnail moves the preview there), duration, size and date, and what the
 * mentor does with it: publish it as a lesson (also ahead, "when ready"), download the MP4,
 * retry a failed one, delete it with its stored files.
 */
type RecordingCardProps = {
  session: SessionDto;
  /** The role may change the class (publish as a lesson, retry): the API checks it too. */
  canUpdate: boolean;
  /** The role may delete in the class (the recording): the API checks it too. */
  canDelete: boolean;
};

export const RecordingCard = ({ session, canUpdate, canDelete }: RecordingCardProps) => {
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const [loaded, setLoaded] = useState<Loaded>({ phase: 'loading' });
  const [pollError, setPollError] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [working, setWorking] = useState<'retry' | 'delete' | null>(null);
  const [currentThumb, setCurrentThumb] = useState<number | null>(null);
  const previewRef = useRef<RecordingPreviewHandle>(null);
  const lastRefresh = useRef(0);
  const previous = useRef<PanelRecordingDto | null>(null);
  const ids = useId().replace(/:/g, '');
  // Through a ref: the loaders below must not change (and refetch) when the notifier does.
  const notify = useRef(toggleNotification);
  notify.current = toggleNotification;

  const recording = loaded.phase === 'loaded' ? loaded.recording : null;

  /** Takes a fresh answer, telling the mentor what changed by itself since the last one (ready, failed, auto-published). */
  const accept = useCallback((next: PanelRecordingDto | null) => {
    const before = previous.current;
    if (before && next && before.id === next.id) {
      if (before.status !== 'ready' && next.status === 'ready') notify.current({ type: 'success', message: 'The recording is ready.' });
      if (before.status !== 'failed' && next.status === 'failed') notify.current({ type: 'danger', message: 'Processing the recording failed.' });
      if (!before.lessonId && next.lessonId) notify.current({ type: 'success', message: 'The recording was published as a lesson.' });
    }
    previous.current = next;
    setLoaded({ phase: 'loaded', recording: next });
  }, []);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const next = await getRecording(client, session.id, signal);
      accept(next);
      return next;
    },
    [client, session.id, accept]
  );

  // First load, and again when the class changes state (it ended: the recording moves on).
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal)
      .then(() => setPollError(null))
      .catch((error) => !controller.signal.aborted && setLoaded((now) => (now.phase === 'loaded' ? now : { phase: 'failed', message: errorMessage(error) })));
    return () => controller.abort();
  }, [load, session.status]);

  const delay = loaded.phase === 'loaded' ? pollDelay(recording, session) : null;

  // Poll while something is happening; stop once it's ready or failed. A hidden tab doesn't ask.
  useEffect(() => {
    if (delay === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (!document.hidden) {
        try {
          await load(controller.signal);
          setPollError(null);
        } catch (error) {
          if (controller.signal.aborted) return;
          setPollError(errorMessage(error));
        }
      }
      if (!controller.signal.aborted) timer = setTimeout(tick, delay);
    };
    timer = setTimeout(tick, delay);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [delay, load]);

  /** New signed URLs (they lapse): the preview errored, a thumbnail didn't load, a download was late. */
  const refresh = useCallback(async () => {
    if (Date.now() - lastRefresh.current < REFRESH_AT_MOST_EVERY_MS) return null;
    lastRefresh.current = Date.now();
    try {
      return await load();
    } catch (error) {
      setPollError(errorMessage(error));
      return null;
    }
  }, [load]);

  const download = async (event: MouseEvent<HTMLElement>) => {
    const expiresAt = recording?.playback ? Date.parse(recording.playback.expiresAt) : Number.POSITIVE_INFINITY;
    if (Date.now() < expiresAt - 10_000) return;
    // The link has (nearly) lapsed: follow a fresh one instead.
    event.preventDefault();
    lastRefresh.current = 0;
    const fresh = await refresh();
    if (fresh?.downloadUrl) window.location.assign(fresh.downloadUrl);
  };

  const retry = async () => {
    if (!recording) return;
    setWorking('retry');
    try {
      accept(await retryRecording(client, recording.id));
      toggleNotification({ type: 'info', message: 'Processing the recording again.' });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setWorking(null);
    }
  };

  const remove = async () => {
    if (!recording) return;
    setWorking('delete');
    try {
      await deleteRecording(client, recording.id);
      previous.current = null;
      setLoaded({ phase: 'deleted' });
      toggleNotification({ type: 'success', message: 'The recording and its files were deleted.' });
    } catch (error) {
      // 409: it was published as a lesson meanwhile (the server says so).
      toggleNotification({ type: 'danger', message: errorMessage(error) });
      load().catch(() => undefined);
    } finally {
      setWorking(null);
      setConfirmDelete(false);
    }
  };

  const published = (result: PublishRecordingResponse, moduleTitle: string) => {
    setPublishing(false);
    toggleNotification({
      type: 'success',
      message: result.state === 'published' ? `Published as a lesson in ${moduleTitle}.` : `It will be published to ${moduleTitle} when it's ready.`,
    });
    load().catch((error) => setPollError(errorMessage(error)));
  };

  // ── What to show ─────────────────────────────────────────────────────────────────────────

  if (loaded.phase === 'loading') {
    // A live class without a recording yet shows nothing rather than a spinner that may never end.
    if (session.status === 'LIVE') return null;
    return (
      <Card title="Recording">
        <Flex gap={2}>
          <Loader small>Loading the recording</Loader>
          <Typography textColor="neutral600">Loading the recording…</Typography>
        </Flex>
      </Card>
    );
  }

  if (loaded.phase === 'failed') {
    if (session.status === 'LIVE') return null;
    return (
      <Notice
        variant="danger"
        title="Couldn't load the recording"
        action={
          <Button variant="tertiary" size="S" onClick={() => refresh()}>
            Try again
          </Button>
        }
      >
        {loaded.message}
      </Notice>
    );
  }

  if (loaded.phase === 'deleted') {
    return (
      <Card title="Recording">
        <Typography textColor="neutral600">The recording was deleted, with its video and thumbnails.</Typography>
      </Card>
    );
  }

  if (!recording) {
    if (session.status !== 'ENDED') return null;
    return (
      <Card title="Recording">
        <Typography textColor="neutral600">
          {!session.recording
            ? 'Recording was off for this class: nothing was recorded.'
            : delay !== null
              ? 'Waiting for Amazon IVS to report the recording (it arrives a few minutes after the class)…'
              : 'No recording: the encoder never sent video.'}
        </Typography>
      </Card>
    );
  }

  const badge = STATUS_BADGE[recording.status];
  // The server refuses these deletes (409); the page says why before the mentor tries.
  const deleteBlocked = recording.lessonId
    ? 'Published as a lesson: delete the lesson first.'
    : recording.status === 'recording'
      ? 'It can be deleted once the class has been recorded.'
      : recording.status === 'processing'
        ? 'It can be deleted once processing has finished.'
        : null;
  const canPublish = canUpdate && !recording.lessonId && recording.status !== 'failed';
  const facts: [string, string][] = [
    ['Duration', formatDuration(recording.durationMs == null ? null : recording.durationMs / 1000)],
    ['Size', formatBytes(recording.sizeBytes)],
    ['Recorded', formatDateTime(recording.recordedAt)],
  ];

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} tag="section" aria-labelledby={`${ids}-title`}>
      <Flex justifyContent="space-between" alignItems="center" gap={3} paddingBottom={4} wrap="wrap">
        <Typography variant="delta" tag="h2" id={`${ids}-title`}>
          Recording
        </Typography>
        <Badge backgroundColor={badge.backgroundColor} textColor={badge.textColor}>
          {badge.label}
        </Badge>
      </Flex>

      <Flex direction="column" alignItems="stretch" gap={5}>
        {recording.status === 'recording' && (
          <Flex gap={2} aria-live="polite">
            <LiveDot aria-hidden />
            <Typography fontWeight="semiBold">Recording…</Typography>
            <Typography textColor="neutral600">
              {session.status === 'LIVE'
                ? `Since ${formatDateTime(recording.recordedAt)}. It is processed when the class ends.`
                : 'Finishing the recording; processing starts in a moment.'}
            </Typography>
          </Flex>
        )}

        {recording.status === 'processing' && <RecordingProgress stage={recording.stage} progress={recording.progress} />}

        {recording.status === 'failed' && (
          <Notice
            variant="danger"
            title="Processing failed"
            action={
              recording.provider === 'local' && canUpdate ? (
                <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={retry} loading={working === 'retry'}>
                  Retry
                </Button>
              ) : undefined
            }
          >
            {recording.failureReason ?? 'The server gave no reason.'}
          </Notice>
        )}

        {recording.status === 'ready' && recording.playback && (
          <>
            <RecordingPreview
              ref={previewRef}
              playback={recording.playback}
              onTimeUpdate={(ms) => setCurrentThumb(thumbnailAt(recording, ms))}
              onNeedsFreshUrl={() => {
                lastRefresh.current = 0;
                refresh();
              }}
            />
            <RecordingThumbnailStrip
              thumbnails={recording.thumbnails}
              currentMs={currentThumb}
              onSeek={(atMs) => {
                setCurrentThumb(atMs);
                previewRef.current?.seek(atMs);
              }}
              onImageError={() => refresh()}
            />
          </>
        )}

        {recording.status !== 'recording' && (
          <Grid.Root gap={4} tag="dl">
            {facts.map(([label, value]) => (
              <Grid.Item key={label} col={4} s={12} direction="column" alignItems="flex-start" gap={1}>
                <Typography variant="sigma" textColor="neutral600" tag="dt">
                  {label}
                </Typography>
                <Typography tag="dd" fontWeight="semiBold" style={{ margin: 0 }}>
                  {value}
                </Typography>
              </Grid.Item>
            ))}
          </Grid.Root>
        )}

        {recording.lessonId ? (
          <Flex gap={2} wrap="wrap">
            <Check aria-hidden fill="success600" />
            <Typography fontWeight="semiBold">Published as a lesson</Typography>
            <Link tag={NavLink} to={lessonEditPath(recording.lessonId)}>
              Open the lesson in the content manager
            </Link>
          </Flex>
        ) : (
          recording.autoPublish &&
          recording.status !== 'ready' && (
            <Typography>
              Will be published to <strong>{recording.autoPublish.moduleTitle}</strong> when ready.
            </Typography>
          )
        )}

        {recording.deletesInDays != null && !recording.lessonId && (
          <Typography variant="pi" textColor="neutral600">
            {retentionWords(recording.deletesInDays)}
          </Typography>
        )}

        {pollError && (
          <Typography variant="pi" textColor="danger600" role="status">
            Couldn't refresh the recording: {pollError}
          </Typography>
        )}

        <Flex gap={2} wrap="wrap" alignItems="center">
          {canPublish && (
            <Button startIcon={<PaperPlane />} onClick={() => setPublishing(true)}>
              {recording.status === 'ready' ? 'Publish as lesson' : recording.autoPublish ? 'Change where it is published' : 'Publish when ready'}
            </Button>
          )}
          {recording.downloadUrl && (
            <LinkButton variant="secondary" startIcon={<Download />} href={recording.downloadUrl} download onClick={download}>
              Download MP4
            </LinkButton>
          )}
          {canDelete && (
            <>
              <Button
                variant="danger-light"
                startIcon={<Trash />}
                onClick={() => setConfirmDelete(true)}
                loading={working === 'delete'}
                disabled={deleteBlocked !== null}
                aria-describedby={deleteBlocked ? `${ids}-delete-reason` : undefined}
              >
                Delete recording
              </Button>
              {deleteBlocked && (
                <Typography variant="pi" textColor="neutral600" id={`${ids}-delete-reason`}>
                  {deleteBlocked}
                </Typography>
              )}
            </>
          )}
        </Flex>
      </Flex>

      <RecordingPublishDialog open={publishing} recording={recording} onClose={() => setPublishing(false)} onDone={published} />

      <Dialog.Root open={confirmDelete} onOpenChange={(open: boolean) => !open && working !== 'delete' && setConfirmDelete(false)}>
        <ConfirmDialog
          title="Delete this recording?"
          endAction={
            <Button fullWidth variant="danger" onClick={remove} loading={working === 'delete'}>
              Delete for good
            </Button>
          }
        >
          The video, its poster and every thumbnail are removed from storage for good. This can't be undone.
        </ConfirmDialog>
      </Dialog.Root>
    </Box>
  );
};
