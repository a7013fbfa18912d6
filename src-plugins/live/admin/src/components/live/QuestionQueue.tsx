import { useState } from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { Badge, Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { Check, Cross, Pin } from '@strapi/icons';
import { sortQuestions, type QuestionOrder } from '../../../../server/src/realtime/classroom-state';
import { formatNumber, formatTime, type ErrorAck, type QuestionDto } from '../../api/live';
import { Card } from './Card';
import { ackErrorWords } from './ClassChat';
import type { Classroom } from './useClassroomSocket';

const ORDERS: [QuestionOrder, string][] = [
  ['votes', 'Most votes'],
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
];

export const votesLabel = (votes: number) => `${formatNumber(votes)} ${votes === 1 ? 'vote' : 'votes'}`;

/** One question: its text, who asked, votes and time; the actions a moderator has on it. */
const QuestionItem = ({ question, actions }: { question: QuestionDto; actions?: React.ReactNode }) => {
  const answeringNow = question.pinned && question.state === 'open';
  return (
    <Box
      tag="li"
      aria-label={answeringNow ? `Answering now: ${question.text}` : question.text}
      padding={3}
      hasRadius
      background={answeringNow ? 'primary100' : 'neutral0'}
      borderColor={answeringNow ? 'primary600' : 'neutral200'}
      borderWidth={answeringNow ? '2px' : '1px'}
      borderStyle="solid"
    >
      <Flex direction="column" alignItems="stretch" gap={2}>
        {answeringNow && (
          <Box>
            <Badge active>Answering now</Badge>
          </Box>
        )}
        <Typography style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{question.text}</Typography>
        <Flex gap={2} wrap="wrap">
          <Typography variant="pi" fontWeight="bold">
            {votesLabel(question.votes)}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {question.author.name} · {formatTime(question.askedAt)}
            {question.state === 'answered' && question.answeredAt && ` · answered at ${formatTime(question.answeredAt)}`}
          </Typography>
        </Flex>
        {actions && (
          <Flex gap={2} wrap="wrap">
            {actions}
          </Flex>
        )}
      </Flex>
    </Box>
  );
};

/**
 * The students' questions while the class runs: the queue (by votes, or by time), the one being
 * answered now pinned on top and highlighted for everyone, then what was answered. The mentor
 * pins, marks answered or dismisses; the list follows the server's pushes.
 */
export const QuestionQueue = ({ classroom }: { classroom: Classroom }) => {
  const { toggleNotification } = useNotification();
  const [order, setOrder] = useState<QuestionOrder>('votes');
  const [busy, setBusy] = useState<number | null>(null);
  const { questions, connection, me } = classroom;
  const connected = connection.phase === 'connected';
  const canModerate = Boolean(me?.capabilities.includes('moderate'));

  const all = questions.questions;
  const pinned = all.find((question) => question.pinned && question.state === 'open');
  const waiting = sortQuestions(
    all.filter((question) => question.state === 'open' && question !== pinned),
    order,
  );
  const answered = sortQuestions(
    all.filter((question) => question.state === 'answered'),
    'newest',
  );

  const act = async (question: QuestionDto, run: () => Promise<{ ok: true } | ErrorAck>, success: string) => {
    setBusy(question.id);
    const answer = await run();
    setBusy(null);
    toggleNotification(answer.ok ? { type: 'success', message: success } : { type: 'danger', message: ackErrorWords(answer) });
  };

  const actionsFor = (question: QuestionDto) => {
    if (!canModerate) return undefined;
    const disabled = !connected || busy === question.id;
    return (
      <>
        <Button
          size="S"
          variant={question.pinned ? 'secondary' : 'tertiary'}
          startIcon={<Pin />}
          disabled={disabled}
          onClick={() =>
            act(
              question,
              () => classroom.pinQuestion(question.id, !question.pinned),
              question.pinned ? 'Unpinned.' : 'Pinned: everyone sees it highlighted.',
            )
          }
        >
          {question.pinned ? 'Unpin' : 'Pin'}
        </Button>
        <Button
          size="S"
          variant="success-light"
          startIcon={<Check />}
          disabled={disabled}
          onClick={() => act(question, () => classroom.answerQuestion(question.id), 'Marked answered.')}
        >
          Mark answered
        </Button>
        <Button
          size="S"
          variant="danger-light"
          startIcon={<Cross />}
          disabled={disabled}
          onClick={() => act(question, () => classroom.dismissQuestion(question.id), 'Question dismissed.')}
        >
          Dismiss
        </Button>
      </>
    );
  };

  const open = waiting.length + (pinned ? 1 : 0);
  return (
    <Card>
      <Flex justifyContent="space-between" alignItems="flex-end" gap={3} wrap="wrap" paddingBottom={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="delta" tag="h2">
            Questions
          </Typography>
          <Typography variant="pi" textColor="neutral600" aria-live="polite">
            {formatNumber(open)} waiting · {formatNumber(answered.length)} answered
          </Typography>
        </Flex>
        <Box minWidth="16rem">
          <Field.Root name="question-order">
            <Field.Label>Sort by</Field.Label>
            <SingleSelect size="S" value={order} onChange={(value: string | number) => setOrder(value as QuestionOrder)}>
              {ORDERS.map(([value, label]) => (
                <SingleSelectOption key={value} value={value}>
                  {label}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Box>
      </Flex>

      {open === 0 ? (
        <Typography textColor="neutral600">
          {connection.phase === 'connecting' ? 'Loading the questions…' : 'No questions waiting. Students ask from the classroom page.'}
        </Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={2} tag="ol" aria-label="Questions waiting">
          {pinned && <QuestionItem key={pinned.id} question={pinned} actions={actionsFor(pinned)} />}
          {waiting.map((question) => (
            <QuestionItem key={question.id} question={question} actions={actionsFor(question)} />
          ))}
        </Flex>
      )}

      {answered.length > 0 && (
        <Box paddingTop={5}>
          <Typography variant="sigma" textColor="neutral600" tag="h3">
            Answered
          </Typography>
          <Box paddingTop={2}>
            <Flex direction="column" alignItems="stretch" gap={2} tag="ul" aria-label="Answered questions">
              {answered.map((question) => (
                <QuestionItem key={question.id} question={question} />
              ))}
            </Flex>
          </Box>
        </Box>
      )}
    </Card>
  );
};
