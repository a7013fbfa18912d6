import type { ReactNode } from 'react';
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { formatDuration, formatTime, type ChatMessageDto } from '../../api/live';

/** A system message in the panel's words (the server sends what happened, not prose). */
export function systemWords(message: ChatMessageDto): string {
  switch (message.system?.event) {
    case 'class-started':
      return 'The class started.';
    case 'class-ended':
      return 'The class ended.';
    case 'message-deleted':
      return 'A moderator deleted a message.';
    case 'user-banned':
      return 'A moderator removed a student from the class, and their messages.';
    case 'slow-mode': {
      const seconds = message.system.slowModeSeconds ?? 0;
      return seconds > 0 ? `Slow mode is on: students can send one message every ${formatDuration(seconds)}.` : 'Slow mode is off.';
    }
    default:
      return message.text;
  }
}

const ROLE_BADGES: Record<string, string> = { mentor: 'Mentor', admin: 'Admin' };

/**
 * One chat message: the author's name (with a Mentor or Admin badge), the time and the text, as
 * text (never HTML); a system message as a centred line in words. `actions` go at its right.
 */
export const ChatMessageItem = ({ message, actions }: { message: ChatMessageDto; actions?: ReactNode }) => {
  if (message.type === 'SYSTEM' || !message.author) {
    return (
      <Box tag="li" paddingTop={2} paddingBottom={2} data-seq={message.seq}>
        <Typography variant="pi" textColor="neutral600" textAlign="center" tag="p" style={{ fontStyle: 'italic' }}>
          {systemWords(message)} <time dateTime={message.sentAt}>{formatTime(message.sentAt)}</time>
        </Typography>
      </Box>
    );
  }
  const badge = ROLE_BADGES[message.author.role];
  return (
    <Flex tag="li" gap={2} alignItems="flex-start" justifyContent="space-between" paddingTop={2} paddingBottom={2} data-seq={message.seq}>
      {/* min-width 0 lets a long word wrap inside the column instead of pushing the actions out */}
      <Flex direction="column" alignItems="flex-start" gap={1} style={{ minWidth: 0, flex: 1 }}>
        <Flex gap={2} wrap="wrap">
          <Typography fontWeight="bold">{message.author.name}</Typography>
          {badge && <Badge active>{badge}</Badge>}
          {message.type === 'QUESTION' && <Badge>Question</Badge>}
          <Typography variant="pi" textColor="neutral600">
            <time dateTime={message.sentAt}>{formatTime(message.sentAt)}</time>
          </Typography>
        </Flex>
        <Typography tag="p" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {message.text}
        </Typography>
      </Flex>
      {actions && <Box shrink={0}>{actions}</Box>}
    </Flex>
  );
};
