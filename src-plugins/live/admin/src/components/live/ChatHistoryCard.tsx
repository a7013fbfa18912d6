import { useCallback, useEffect, useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { emptyChatLog, prependHistory, type ChatLog } from '../../../../server/src/realtime/chat-log';
import { errorMessage, getChatHistory } from '../../api/live';
import { Card } from './Card';
import { ChatMessageItem } from './ChatMessageItem';
import { Notice } from './Notice';

/** Older messages fetched per "Load earlier". */
const PAGE_SIZE = 100;

/** After the class: the chat as it stands (deleted messages gone), read-only, newest page first loaded. */
export const ChatHistoryCard = ({ sessionId }: { sessionId: string }) => {
  const client = useFetchClient();
  const [log, setLog] = useState<ChatLog | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before?: number) => {
      setLoading(true);
      setError(null);
      try {
        const page = await getChatHistory(client, sessionId, { before, limit: PAGE_SIZE });
        // Pages come newest first, each below the oldest held: prepended, the log's order and dedup kept.
        setLog((current) => prependHistory(current ?? emptyChatLog(page.lastSeq), page.messages));
        setHasMore(page.hasMore);
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setLoading(false);
      }
    },
    [client, sessionId]
  );

  useEffect(() => {
    setLog(null);
    void load();
  }, [load]);

  const messages = log?.messages ?? null;
  const oldest = messages?.[0]?.seq;
  return (
    <Card title="Chat">
      {error && (
        <Box paddingBottom={4}>
          <Notice
            variant="danger"
            title="Couldn't load the chat"
            action={
              <Button variant="tertiary" size="S" onClick={() => load(oldest)}>
                Try again
              </Button>
            }
          >
            {error}
          </Notice>
        </Box>
      )}
      {messages === null ? (
        !error && (
          <Flex gap={2}>
            <Loader small>Loading the chat</Loader>
            <Typography textColor="neutral600">Loading the chat…</Typography>
          </Flex>
        )
      ) : messages.length === 0 ? (
        <Typography textColor="neutral600">Nobody wrote in this class's chat.</Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={2}>
          {hasMore && oldest !== undefined && (
            <Flex justifyContent="center">
              <Button variant="tertiary" size="S" onClick={() => load(oldest)} loading={loading}>
                Load earlier messages
              </Button>
            </Flex>
          )}
          <Box background="neutral100" hasRadius padding={4} style={{ maxHeight: '48rem', overflowY: 'auto' }} tabIndex={0} role="region" aria-label="Chat history">
            <Flex direction="column" alignItems="stretch" tag="ol" gap={0}>
              {messages.map((message) => (
                <ChatMessageItem key={message.seq} message={message} />
              ))}
            </Flex>
          </Box>
        </Flex>
      )}
    </Card>
  );
};
