import { useFetchClient } from '@strapi/strapi/admin';
import { Flex, Loader, Typography } from '@strapi/design-system';
import { formatDuration, formatTime, getModerationLog, toLiveApiError, type ModerationEntryDto } from '../../api/live';
import { Card } from './Card';
import { useLoaded } from './useLoaded';
import { LoadFailed } from './LoadFailed';

/** "Ananya muted Asha for 15 min". */
export function moderationWords({ action, target, detail }: ModerationEntryDto): string {
  const who = target?.name ?? 'a student';
  switch (action) {
    case 'delete':
      return `deleted a message by ${who}`;
    case 'mute':
      return `muted ${who} for ${formatDuration((detail.minutes ?? 0) * 60)}`;
    case 'unmute':
      return `unmuted ${who}`;
    case 'ban':
      return `banned ${who} from this class`;
    case 'slow-mode':
      return detail.seconds ? `turned slow mode on (one message every ${formatDuration(detail.seconds)})` : 'turned slow mode off';
    default:
      return action;
  }
}

/** The moderation log: who deleted, muted, banned or slowed the chat, and when. Hidden from users the API refuses. */
export const ModerationLogCard = ({ sessionId }: { sessionId: string }) => {
  const client = useFetchClient();
  const { data, error, reload } = useLoaded(
    () =>
      getModerationLog(client, sessionId).then(
        (entries): ModerationEntryDto[] | 'refused' => entries,
        (e) => {
          // A 403: this user may not read the log, so there is nothing to show (not an error).
          const apiError = toLiveApiError(e);
          if (apiError.status === 403) return 'refused' as const;
          throw apiError;
        }
      ),
    [client, sessionId]
  );

  if (data === 'refused') return null;
  if (error) {
    return (
      <LoadFailed title="Couldn't load the moderation log" error={error} onRetry={reload} />
    );
  }
  return (
    <Card title="Moderation log">
      {!data ? (
        <Flex gap={2}>
          <Loader small>Loading the moderation log</Loader>
          <Typography textColor="neutral600">Loading…</Typography>
        </Flex>
      ) : data.length === 0 ? (
        <Typography textColor="neutral600">Nobody was moderated in this class.</Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={3} tag="ol" aria-label="Moderation actions">
          {data.map((entry) => (
            <Flex key={entry.id} tag="li" direction="column" alignItems="flex-start" gap={1}>
              <Typography>
                <Typography variant="pi" textColor="neutral600">
                  <time dateTime={entry.at}>{formatTime(entry.at)}</time>
                </Typography>{' '}
                <Typography fontWeight="bold">{entry.moderator.name}</Typography> {moderationWords(entry)}
              </Typography>
              {entry.detail.text && (
                <Typography variant="pi" textColor="neutral600" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  “{entry.detail.text}”
                </Typography>
              )}
              {entry.detail.reason && (
                <Typography variant="pi" textColor="neutral600">
                  Reason: {entry.detail.reason}
                </Typography>
              )}
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
};
