import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useNotification } from '@strapi/strapi/admin';
import {
  Box,
  Button,
  Dialog,
  Field,
  Flex,
  IconButton,
  Loader,
  Menu,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { ArrowDown, Cross, More, PaperPlane, Trash, VolumeMute, VolumeUp } from '@strapi/icons';
import { MAX_MESSAGE_LENGTH, SLOW_MODE_SECONDS } from '../../../../server/src/realtime/contracts';
import { formatDuration, formatTime, type ChatAuthor, type ChatMessageDto, type ErrorAck } from '../../api/live';
import { Card } from './Card';
import { ChatMessageItem } from './ChatMessageItem';
import { Notice } from './Notice';
import type { Classroom, ConnectionState } from './useClassroomSocket';

/** The mute lengths offered on a message, in minutes. */
const MUTE_CHOICES = [5, 15, 60] as const;
/** How close to the bottom (px) still counts as "reading the latest": new messages then scroll into view. */
const STICK_TO_BOTTOM_PX = 48;
const BAN_REASON_MAX = 200;

type SlowModeSeconds = 0 | (typeof SLOW_MODE_SECONDS)[number];

/** An ack's error in words, with when to try again if the server said. */
export function ackErrorWords({ error }: ErrorAck): string {
  const parts = [error.message];
  if (error.retryAfterSeconds && !/\d/.test(error.message)) parts.push(`Try again in ${formatDuration(error.retryAfterSeconds)}.`);
  if (error.until && !/\d/.test(error.message)) parts.push(`Until ${formatTime(error.until)}.`);
  return parts.join(' ');
}

const ConnectionStatus = ({ connection }: { connection: ConnectionState }) => {
  const [text, color] =
    connection.phase === 'connected'
      ? ['Connected', 'success600']
      : connection.phase === 'connecting'
        ? ['Connecting…', 'neutral600']
        : connection.phase === 'reconnecting'
          ? ['Reconnecting…', 'warning600']
          : ['Offline', 'neutral600'];
  return (
    <Flex gap={2} role="status">
      {(connection.phase === 'connecting' || connection.phase === 'reconnecting') && <Loader small>{text}</Loader>}
      <Typography variant="pi" fontWeight="semiBold" textColor={color}>
        {text}
      </Typography>
    </Flex>
  );
};

/** The moderation menu on a student's message: delete, mute for a while, unmute, ban. */
const MessageActions = ({
  message,
  author,
  disabled,
  onDelete,
  onMute,
  onBan,
}: {
  message: ChatMessageDto;
  author: ChatAuthor;
  disabled: boolean;
  onDelete: (message: ChatMessageDto) => void;
  onMute: (author: ChatAuthor, minutes: number) => void;
  onBan: (author: ChatAuthor) => void;
}) => (
  <Menu.Root>
    <Menu.Trigger tag={IconButton} icon={<More />} label={`Moderate ${author.name}'s message`} variant="ghost" disabled={disabled} />
    <Menu.Content popoverPlacement="bottom-end">
      <Menu.Item startIcon={<Trash />} onSelect={() => onDelete(message)}>
        Delete message
      </Menu.Item>
      {MUTE_CHOICES.map((minutes) => (
        <Menu.Item key={minutes} startIcon={<VolumeMute />} onSelect={() => onMute(author, minutes)}>
          Mute {author.name} for {minutes} min
        </Menu.Item>
      ))}
      <Menu.Item startIcon={<VolumeUp />} onSelect={() => onMute(author, 0)}>
        Unmute {author.name}
      </Menu.Item>
      <Menu.Separator />
      <Menu.Item startIcon={<Cross />} variant="danger" onSelect={() => onBan(author)}>
        Ban {author.name} from this class…
      </Menu.Item>
    </Menu.Content>
  </Menu.Root>
);

/** "Ban Asha from this class?" with an optional reason; stays open until the server answers. */
const BanDialog = ({ target, onClose, ban }: { target: ChatAuthor | null; onClose: () => void; ban: Classroom['ban'] }) => {
  const { toggleNotification } = useNotification();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    setReason('');
    setError(null);
  }, [target]);

  const confirm = async () => {
    if (!target) return;
    setWorking(true);
    const answer = await ban(target.id, reason);
    setWorking(false);
    if (!answer.ok) return setError(ackErrorWords(answer));
    toggleNotification({ type: 'success', message: `${target.name} was banned from this class. Their messages are gone.` });
    onClose();
  };

  return (
    <Dialog.Root open={target !== null} onOpenChange={(open: boolean) => !open && !working && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{target ? `Ban ${target.name} from this class?` : 'Ban'}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={4} width="100%">
            <Typography>
              They are disconnected at once, all their messages disappear for everyone, and they can't rejoin this class. Other classes
              aren't affected.
            </Typography>
            <Field.Root name="ban-reason" hint="Shown in the moderation log." error={error ?? undefined}>
              <Field.Label>Reason (optional)</Field.Label>
              <TextInput
                value={reason}
                maxLength={BAN_REASON_MAX}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) => setReason(event.target.value)}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary" disabled={working}>
              Cancel
            </Button>
          </Dialog.Cancel>
          <Button variant="danger" onClick={confirm} loading={working}>
            Ban from this class
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};

/** The send box: Enter sends, Shift+Enter starts a new line; refusals (rate limit, slow mode) under it. */
const SendBox = ({ send, connected }: { send: Classroom['send']; connected: boolean }) => {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [blockedUntil, setBlockedUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const waitSeconds = Math.ceil((blockedUntil - now) / 1000);

  useEffect(() => {
    if (blockedUntil <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [blockedUntil]);

  const submit = async () => {
    if (!text.trim() || sending || waitSeconds > 0) return;
    setSending(true);
    const answer = await send(text);
    setSending(false);
    if (answer.ok) {
      setText('');
      setError(null);
      return;
    }
    setError(ackErrorWords(answer));
    if (answer.error.retryAfterSeconds) {
      setBlockedUntil(Date.now() + answer.error.retryAfterSeconds * 1000);
      setNow(Date.now());
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Field.Root name="chat-message" error={error ?? undefined} hint={`${text.length}/${MAX_MESSAGE_LENGTH} · Enter sends, Shift+Enter for a new line`}>
          <Field.Label>Message to the class</Field.Label>
          <Textarea
            value={text}
            maxLength={MAX_MESSAGE_LENGTH}
            onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
              setText(event.target.value);
              if (error) setError(null);
            }}
            onKeyDown={(event: React.KeyboardEvent<HTMLTextAreaElement>) => {
              if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                void submit();
              }
            }}
          />
          <Field.Error />
          <Field.Hint />
        </Field.Root>
        <Flex justifyContent="flex-end">
          <Button type="submit" startIcon={<PaperPlane />} loading={sending} disabled={!connected || !text.trim() || waitSeconds > 0}>
            {waitSeconds > 0 ? `Wait ${waitSeconds} s` : 'Send'}
          </Button>
        </Flex>
      </Flex>
    </form>
  );
};

const slowModeLabel = (seconds: number) => (seconds === 0 ? 'Off' : `One message every ${formatDuration(seconds)}`);

/**
 * The class chat on the mentor's class page (SCHEDULED or LIVE): what the students see, with
 * moderation on every student message, a slow-mode switch and the connection's state.
 */
export const ClassChat = ({ classroom }: { classroom: Classroom }) => {
  const { toggleNotification } = useNotification();
  const { connection, log, me, slowModeSeconds } = classroom;
  const connected = connection.phase === 'connected';
  const canModerate = Boolean(me?.capabilities.includes('moderate'));
  const [banTarget, setBanTarget] = useState<ChatAuthor | null>(null);
  const [slowModeSaving, setSlowModeSaving] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(false);
  const newestSeq = log.messages[log.messages.length - 1]?.seq;

  // Follow the conversation unless the mentor scrolled up to read.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || newestSeq === undefined) return;
    if (atBottom.current) list.scrollTop = list.scrollHeight;
    else setUnseen(true);
  }, [newestSeq]);

  const scrollToLatest = () => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
    setUnseen(false);
  };

  const report = (answer: { ok: true } | ErrorAck, success: string) =>
    toggleNotification(answer.ok ? { type: 'success', message: success } : { type: 'danger', message: ackErrorWords(answer) });

  const onDelete = async (message: ChatMessageDto) => report(await classroom.deleteMessage(message.seq), 'Message deleted for everyone.');
  const onMute = async (author: ChatAuthor, minutes: number) => {
    const answer = await classroom.mute(author.id, minutes);
    if (!answer.ok) return report(answer, '');
    report(answer, answer.until ? `${author.name} is muted until ${formatTime(answer.until)}.` : `${author.name} can send messages again.`);
  };
  const onSlowMode = async (value: string | number) => {
    setSlowModeSaving(true);
    const seconds = Number(value) as SlowModeSeconds;
    const answer = await classroom.setSlowMode(seconds);
    setSlowModeSaving(false);
    report(answer, answer.ok && answer.seconds ? `Slow mode on: one message every ${formatDuration(answer.seconds)} per student.` : 'Slow mode off.');
  };

  if (connection.phase === 'no-access') {
    return (
      <Card title="Class chat">
        <Typography textColor="neutral600">
          Your role can't use this class's chat. Ask an administrator for the "Moderate chat" permission of live classes.
        </Typography>
      </Card>
    );
  }

  return (
    <Card>
      <Flex justifyContent="space-between" alignItems="flex-end" gap={4} wrap="wrap" paddingBottom={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="delta" tag="h2">
            Class chat
          </Typography>
          <ConnectionStatus connection={connection} />
        </Flex>
        {canModerate && (
          <Box minWidth="22rem">
            <Field.Root name="slow-mode" hint="Students only; you can always write.">
              <Field.Label>Slow mode</Field.Label>
              <SingleSelect value={String(slowModeSeconds)} onChange={onSlowMode} disabled={!connected || slowModeSaving}>
                {[0, ...SLOW_MODE_SECONDS].map((seconds) => (
                  <SingleSelectOption key={seconds} value={String(seconds)}>
                    {slowModeLabel(seconds)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
          </Box>
        )}
      </Flex>

      {connection.phase === 'stopped' && (
        <Box paddingBottom={4}>
          <Notice
            variant={connection.code === 'class-over' ? 'default' : 'danger'}
            title={connection.code === 'class-over' ? 'The chat is closed' : 'Not connected to the chat'}
            action={
              connection.code !== 'class-over' ? (
                <Button variant="tertiary" size="S" onClick={classroom.retry}>
                  Try again
                </Button>
              ) : undefined
            }
          >
            {connection.message}
          </Notice>
        </Box>
      )}
      {connection.phase === 'reconnecting' && (
        <Box paddingBottom={4}>
          <Typography variant="pi" textColor="warning700">
            The connection dropped. Reconnecting… Nothing is lost: missed messages arrive when it's back.
          </Typography>
        </Box>
      )}

      <Box position="relative">
        <Box
          ref={listRef}
          background="neutral100"
          hasRadius
          padding={4}
          style={{ height: '36rem', overflowY: 'auto' }}
          tabIndex={0}
          role="log"
          aria-label="Class chat"
          onScroll={() => {
            const list = listRef.current;
            if (!list) return;
            atBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < STICK_TO_BOTTOM_PX;
            if (atBottom.current) setUnseen(false);
          }}
        >
          {log.messages.length === 0 ? (
            <Flex height="100%" justifyContent="center">
              <Typography textColor="neutral600">
                {connection.phase === 'connecting' ? 'Loading the chat…' : 'No messages yet. Students can write as soon as they join.'}
              </Typography>
            </Flex>
          ) : (
            <Flex direction="column" alignItems="stretch" tag="ol" gap={0}>
              {log.messages.map((message) => (
                <ChatMessageItem
                  key={message.seq}
                  message={message}
                  actions={
                    canModerate && message.author?.role === 'student' && message.type !== 'SYSTEM' ? (
                      <MessageActions
                        message={message}
                        author={message.author}
                        disabled={!connected}
                        onDelete={onDelete}
                        onMute={onMute}
                        onBan={setBanTarget}
                      />
                    ) : undefined
                  }
                />
              ))}
            </Flex>
          )}
        </Box>
        {unseen && (
          <Box position="absolute" bottom={3} right={6}>
            <Button size="S" variant="secondary" startIcon={<ArrowDown />} onClick={scrollToLatest}>
              New messages
            </Button>
          </Box>
        )}
      </Box>

      <Box paddingTop={4}>
        <SendBox send={classroom.send} connected={connected} />
      </Box>

      <BanDialog target={banTarget} onClose={() => setBanTarget(null)} ban={classroom.ban} />
    </Card>
  );
};
