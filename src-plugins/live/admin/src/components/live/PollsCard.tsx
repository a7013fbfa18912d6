import { useEffect, useState } from 'react';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Cross, Pencil, Play, Plus, Stop, Trash } from '@strapi/icons';
import {
  POLL_DURATION_SECONDS,
  POLL_OPTION_MAX_LENGTH,
  POLL_OPTIONS_MAX,
  POLL_OPTIONS_MIN,
  POLL_QUESTION_MAX_LENGTH,
  pollDraft,
} from '../../../../server/src/realtime/contracts';
import { quizAccuracy } from '../../../../server/src/realtime/classroom-state';
import {
  createPollDraft,
  deletePollDraft,
  errorMessage,
  formatClock,
  formatDuration,
  formatNumber,
  formatTime,
  toLiveApiError,
  updatePollDraft,
  type ErrorAck,
  type PollDraft,
  type PollDto,
} from '../../api/live';
import { Card } from './Card';
import { ackErrorWords } from './ClassChat';
import { PollResultsChart } from './PollResultsChart';
import type { Classroom } from './useClassroomSocket';

type ComposerValue = { question: string; options: string[]; correct: string; timer: number | undefined };
type FieldErrors = Partial<Record<'question' | 'correctOption' | 'durationSeconds' | 'form', string>> & {
  options?: Record<number, string>;
  optionsList?: string;
};

const emptyComposer = (): ComposerValue => ({ question: '', options: ['', ''], correct: '', timer: undefined });
const composerFrom = (poll: PollDto): ComposerValue => ({
  question: poll.question,
  options: [...poll.options],
  correct: poll.correctOption === null ? '' : String(poll.correctOption),
  timer: poll.durationSeconds ?? undefined,
});

/** The composer's fields as the contract's draft, or the message for each field that fails it. */
function validateComposer(value: ComposerValue): { draft: PollDraft } | { errors: FieldErrors } {
  const parsed = pollDraft.safeParse({
    question: value.question,
    options: value.options,
    ...(value.correct !== '' && { correctOption: Number(value.correct) }),
    ...(value.timer !== undefined && { durationSeconds: value.timer }),
  });
  if (parsed.success) return { draft: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const [field, index] = issue.path;
    if (field === 'options' && typeof index === 'number')
      errors.options = { ...errors.options, [index]: errors.options?.[index] ?? issue.message };
    else if (field === 'options') errors.optionsList ??= issue.message;
    else if (field === 'question' || field === 'correctOption' || field === 'durationSeconds') errors[field] ??= issue.message;
    else errors.form ??= issue.message;
  }
  return { errors };
}

/** The server refused the draft: its per-field messages (a 400) or its message. */
function serverErrors(error: unknown): FieldErrors {
  const apiError = toLiveApiError(error);
  const { question, options, correctOption, durationSeconds } = apiError.fieldErrors;
  if (question || options || correctOption || durationSeconds) {
    return { question, optionsList: options, correctOption, durationSeconds };
  }
  return { form: apiError.message };
}

/** Ticks every second while `active` (countdowns). */
function useNow(active: boolean) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * Write a poll (question, 2–6 options, an optional correct answer that makes it a quiz, an
 * optional timer): save it as a draft, or, during the class, launch it now.
 */
const PollComposer = ({
  editing,
  canLaunch,
  onSave,
  onLaunch,
  onCancel,
}: {
  editing: PollDto | null;
  canLaunch: boolean;
  onSave: (draft: PollDraft) => Promise<FieldErrors | null>;
  onLaunch: (draft: PollDraft) => Promise<FieldErrors | null>;
  onCancel: () => void;
}) => {
  const [value, setValue] = useState<ComposerValue>(() => (editing ? composerFrom(editing) : emptyComposer()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [working, setWorking] = useState<'save' | 'launch' | null>(null);

  const update = (changes: Partial<ComposerValue>) => {
    setValue((previous) => ({ ...previous, ...changes }));
    setErrors({});
  };
  const setOption = (index: number, text: string) => update({ options: value.options.map((option, i) => (i === index ? text : option)) });
  const removeOption = (index: number) => {
    const correct = value.correct === '' ? '' : Number(value.correct);
    // The correct answer follows its option; removing it makes the quiz a poll again.
    const nextCorrect = correct === '' || correct === index ? '' : String(correct > index ? correct - 1 : correct);
    update({ options: value.options.filter((_, i) => i !== index), correct: nextCorrect });
  };

  const submit = async (action: 'save' | 'launch') => {
    const checked = validateComposer(value);
    if ('errors' in checked) return setErrors(checked.errors);
    setWorking(action);
    const refused = await (action === 'save' ? onSave : onLaunch)(checked.draft);
    setWorking(null);
    if (refused) setErrors(refused);
  };

  const title = editing ? 'Edit the draft' : 'New poll';
  return (
    <Box
      tag="form"
      aria-label={title}
      background="neutral100"
      hasRadius
      padding={4}
      onSubmit={(event: React.FormEvent) => {
        event.preventDefault();
        void submit('save');
      }}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="omega" fontWeight="bold" tag="h3">
          {title}
        </Typography>
        <Field.Root name="poll-question" error={errors.question} required>
          <Field.Label>Question</Field.Label>
          <TextInput
            value={value.question}
            maxLength={POLL_QUESTION_MAX_LENGTH}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => update({ question: event.target.value })}
          />
          <Field.Error />
        </Field.Root>

        <Flex direction="column" alignItems="stretch" gap={2} tag="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Typography variant="pi" fontWeight="bold" tag="legend">
            Options ({POLL_OPTIONS_MIN}–{POLL_OPTIONS_MAX})
          </Typography>
          {value.options.map((option, index) => (
            <Flex key={index} gap={2} alignItems="flex-start">
              <Box grow={1}>
                <Field.Root name={`poll-option-${index}`} error={errors.options?.[index]}>
                  <Field.Label>Option {index + 1}</Field.Label>
                  <TextInput
                    value={option}
                    maxLength={POLL_OPTION_MAX_LENGTH}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) => setOption(index, event.target.value)}
                  />
                  <Field.Error />
                </Field.Root>
              </Box>
              {value.options.length > POLL_OPTIONS_MIN && (
                <Box paddingTop={6}>
                  <IconButton label={`Remove option ${index + 1}`} variant="ghost" onClick={() => removeOption(index)}>
                    <Trash />
                  </IconButton>
                </Box>
              )}
            </Flex>
          ))}
          {errors.optionsList && (
            <Typography variant="pi" textColor="danger600" role="alert">
              {errors.optionsList}
            </Typography>
          )}
          {value.options.length < POLL_OPTIONS_MAX && (
            <Box>
              <Button variant="tertiary" size="S" startIcon={<Plus />} onClick={() => update({ options: [...value.options, ''] })}>
                Add an option
              </Button>
            </Box>
          )}
        </Flex>

        <Flex gap={4} wrap="wrap" alignItems="flex-start">
          <Box minWidth="24rem">
            <Field.Root
              name="poll-correct"
              error={errors.correctOption}
              hint="Pick one to make it a quiz; students see it when you reveal the results."
            >
              <Field.Label>Correct answer</Field.Label>
              <SingleSelect
                value={value.correct === '' ? 'none' : value.correct}
                onChange={(choice: string | number) => update({ correct: choice === 'none' ? '' : String(choice) })}
              >
                <SingleSelectOption value="none">None: a poll, not a quiz</SingleSelectOption>
                {value.options.map((option, index) => (
                  <SingleSelectOption key={index} value={String(index)}>
                    {option.trim() ? `Option ${index + 1}: ${option.trim()}` : `Option ${index + 1}`}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Box>
          <Box minWidth="16rem">
            <Field.Root
              name="poll-timer"
              error={errors.durationSeconds}
              hint={`${POLL_DURATION_SECONDS.min}–${POLL_DURATION_SECONDS.max} s. Empty: open until you close it.`}
            >
              <Field.Label>Timer in seconds (optional)</Field.Label>
              <NumberInput value={value.timer} step={10} onValueChange={(seconds: number | undefined) => update({ timer: seconds })} />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Box>
        </Flex>

        {errors.form && (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errors.form}
          </Typography>
        )}
        <Flex gap={2} justifyContent="flex-end" wrap="wrap">
          <Button variant="tertiary" onClick={onCancel} disabled={working !== null}>
            Cancel
          </Button>
          <Button type="submit" variant={canLaunch ? 'secondary' : 'default'} loading={working === 'save'} disabled={working === 'launch'}>
            {editing ? 'Save changes' : 'Save draft'}
          </Button>
          {canLaunch && (
            <Button
              variant="success"
              startIcon={<Play />}
              onClick={() => void submit('launch')}
              loading={working === 'launch'}
              disabled={working === 'save'}
            >
              {editing ? 'Save and launch' : 'Launch now'}
            </Button>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};

const pollBadges = (poll: PollDto) => (
  <>
    {poll.kind === 'quiz' && <Badge>Quiz</Badge>}
    {poll.durationSeconds !== null && <Badge>{formatDuration(poll.durationSeconds)} timer</Badge>}
  </>
);

/** "3 votes · 60 % of the 5 watching now". */
export function participation(total: number, watching: number | null) {
  const votes = `${formatNumber(total)} ${total === 1 ? 'vote' : 'votes'}`;
  if (!watching) return votes;
  return `${votes} · ${Math.round((Math.min(total, watching) / watching) * 100)} % of the ${formatNumber(watching)} watching now`;
}

/** A quiz's accuracy in words, once its answer and votes are known. */
export function accuracyWords(poll: PollDto) {
  const accuracy = quizAccuracy(poll);
  if (accuracy === null || poll.correctOption === null || !poll.results) return null;
  return `${Math.round(accuracy * 100)} % answered correctly (${formatNumber(poll.results.counts[poll.correctOption] ?? 0)} of ${formatNumber(poll.results.total)})`;
}

/** A launched poll: its live (or final) results, its timer, and close / reveal. */
const LaunchedPoll = ({
  poll,
  watching,
  now,
  busy,
  connected,
  onClose,
  onReveal,
}: {
  poll: PollDto;
  watching: number | null;
  now: number;
  busy: boolean;
  connected: boolean;
  onClose: () => void;
  onReveal: () => void;
}) => {
  const open = poll.state === 'open';
  const closesIn = open && poll.closesAt ? (new Date(poll.closesAt).getTime() - now) / 1000 : null;
  const accuracy = accuracyWords(poll);
  return (
    <Box
      tag="li"
      aria-label={poll.question}
      padding={4}
      hasRadius
      borderColor={open ? 'primary200' : 'neutral200'}
      background={open ? 'primary100' : 'neutral0'}
    >
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex justifyContent="space-between" alignItems="flex-start" gap={2} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography fontWeight="bold">{poll.question}</Typography>
            <Flex gap={2} wrap="wrap">
              <Badge variant={open ? 'success' : 'neutral'}>{open ? 'Voting open' : 'Closed'}</Badge>
              {poll.revealed && <Badge variant="secondary">Results shown to students</Badge>}
              {pollBadges(poll)}
            </Flex>
          </Flex>
          <Flex gap={2} wrap="wrap">
            {open && (
              <Button variant="danger-light" size="S" startIcon={<Stop />} onClick={onClose} disabled={busy || !connected}>
                Close voting
              </Button>
            )}
            {!poll.revealed && (
              <Button variant="secondary" size="S" onClick={onReveal} disabled={busy || !connected}>
                {poll.kind === 'quiz' ? 'Reveal answer and results' : 'Reveal results'}
              </Button>
            )}
          </Flex>
        </Flex>
        <Typography variant="pi" textColor="neutral700">
          {participation(poll.results?.total ?? 0, open ? watching : null)}
          {closesIn !== null && ` · voting closes in ${formatClock(Math.max(0, closesIn))}`}
          {open && poll.closesAt === null && ' · open until you close it'}
          {!open && poll.closedAt && ` · closed at ${formatTime(poll.closedAt)}`}
        </Typography>
        <PollResultsChart poll={poll} />
        {accuracy && <Typography variant="pi">{accuracy}</Typography>}
      </Flex>
    </Box>
  );
};

/** A draft: its question and options, and launch (during the class), edit, delete. */
const DraftPoll = ({
  poll,
  canLaunch,
  busy,
  onLaunch,
  onEdit,
  onDelete,
}: {
  poll: PollDto;
  canLaunch: boolean;
  busy: boolean;
  onLaunch: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) => (
  <Box tag="li" aria-label={poll.question} padding={4} hasRadius borderColor="neutral200">
    <Flex justifyContent="space-between" alignItems="flex-start" gap={2} wrap="wrap">
      <Flex direction="column" alignItems="flex-start" gap={1} style={{ minWidth: 0 }}>
        <Typography fontWeight="bold">{poll.question}</Typography>
        <Typography variant="pi" textColor="neutral600">
          {poll.options.map((option, index) => (poll.correctOption === index ? `${option} (correct)` : option)).join(' · ')}
        </Typography>
        <Flex gap={2}>{pollBadges(poll)}</Flex>
      </Flex>
      <Flex gap={2}>
        {canLaunch && (
          <Button variant="success" size="S" startIcon={<Play />} onClick={onLaunch} disabled={busy}>
            Launch
          </Button>
        )}
        <IconButton label={`Edit "${poll.question}"`} variant="ghost" onClick={onEdit} disabled={busy}>
          <Pencil />
        </IconButton>
        <IconButton label={`Delete "${poll.question}"`} variant="ghost" onClick={onDelete} disabled={busy}>
          <Cross />
        </IconButton>
      </Flex>
    </Flex>
  </Box>
);

const byLaunchNewestFirst = (a: PollDto, b: PollDto) => (b.launchedAt ?? '').localeCompare(a.launchedAt ?? '') || b.id - a.id;

/**
 * Polls and quizzes on the class page (SCHEDULED or LIVE): write drafts before the class (saved
 * through the API), launch them or a new one during it, watch the counts come in, close voting
 * and reveal the results (and a quiz's answer) to the students.
 */
export const PollsCard = ({ classroom, sessionId, live }: { classroom: Classroom; sessionId: string; live: boolean }) => {
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const { polls, connection, viewerCount } = classroom;
  const connected = connection.phase === 'connected';
  const canLaunch = live && connected;
  const [composer, setComposer] = useState<{ editing: PollDto | null } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const launched = polls.filter((poll) => poll.state !== 'draft').sort(byLaunchNewestFirst);
  const drafts = polls.filter((poll) => poll.state === 'draft').sort((a, b) => a.id - b.id);
  const now = useNow(launched.some((poll) => poll.state === 'open' && poll.closesAt !== null));

  const refusedWords = (answer: { ok: true } | ErrorAck) => (answer.ok ? null : ackErrorWords(answer));

  /** Saves the composer's draft through the API (new or edited); returns the saved poll, or the errors to show. */
  const saveDraft = async (draft: PollDraft): Promise<PollDto | FieldErrors> => {
    try {
      const editing = composer?.editing;
      const saved = editing ? await updatePollDraft(client, sessionId, editing.id, draft) : await createPollDraft(client, sessionId, draft);
      classroom.notePoll(saved);
      return saved;
    } catch (error) {
      return serverErrors(error);
    }
  };

  const onSave = async (draft: PollDraft) => {
    const saved = await saveDraft(draft);
    if (!('id' in saved)) return saved;
    setComposer(null);
    toggleNotification({
      type: 'success',
      message: live ? 'Draft saved. Launch it when you are ready.' : 'Draft saved. Launch it during the class.',
    });
    return null;
  };

  const onLaunchFromComposer = async (draft: PollDraft) => {
    if (composer?.editing) {
      const saved = await saveDraft(draft);
      if (!('id' in saved)) return saved;
      const answer = await classroom.launchPoll(saved.id);
      if (!answer.ok) return { form: ackErrorWords(answer) };
    } else {
      const answer = await classroom.createPoll(draft, true);
      if (!answer.ok) return { form: ackErrorWords(answer) };
    }
    setComposer(null);
    toggleNotification({ type: 'success', message: 'Poll launched: students see it now.' });
    return null;
  };

  const act = async (poll: PollDto, action: 'launch' | 'close' | 'reveal' | 'delete') => {
    setBusy(poll.id);
    let failed: string | null = null;
    if (action === 'delete') {
      try {
        await deletePollDraft(client, sessionId, poll.id);
        classroom.forgetPoll(poll.id);
      } catch (error) {
        failed = errorMessage(error);
      }
    } else {
      const answer = await (action === 'launch' ? classroom.launchPoll : action === 'close' ? classroom.closePoll : classroom.revealPoll)(
        poll.id,
      );
      failed = refusedWords(answer);
    }
    setBusy(null);
    if (failed) return toggleNotification({ type: 'danger', message: failed });
    const done = {
      launch: 'Poll launched: students see it now.',
      close: 'Voting closed.',
      reveal: 'Results shown to the students.',
      delete: 'Draft deleted.',
    }[action];
    toggleNotification({ type: 'success', message: done });
  };

  return (
    <Card>
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap" paddingBottom={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="delta" tag="h2">
            Polls and quizzes
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {live
              ? 'Launch a draft or write one now. Votes are counted as they come in.'
              : 'Draft your polls now and launch them during the class.'}
          </Typography>
        </Flex>
        {!composer && (
          <Button startIcon={<Plus />} onClick={() => setComposer({ editing: null })}>
            New poll
          </Button>
        )}
      </Flex>

      {live && !connected && (
        <Box paddingBottom={4}>
          <Typography variant="pi" textColor="warning700">
            Not connected to the class: launching, closing and revealing wait until the connection is back.
          </Typography>
        </Box>
      )}

      {composer && (
        <Box paddingBottom={4}>
          <PollComposer
            key={composer.editing?.id ?? 'new'}
            editing={composer.editing}
            canLaunch={canLaunch}
            onSave={onSave}
            onLaunch={onLaunchFromComposer}
            onCancel={() => setComposer(null)}
          />
        </Box>
      )}

      <Flex direction="column" alignItems="stretch" gap={5}>
        {launched.length > 0 && (
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Typography variant="sigma" textColor="neutral600" tag="h3">
              Launched
            </Typography>
            <Flex direction="column" alignItems="stretch" gap={3} tag="ul" aria-label="Launched polls">
              {launched.map((poll) => (
                <LaunchedPoll
                  key={poll.id}
                  poll={poll}
                  watching={viewerCount}
                  now={now}
                  busy={busy === poll.id}
                  connected={connected}
                  onClose={() => void act(poll, 'close')}
                  onReveal={() => void act(poll, 'reveal')}
                />
              ))}
            </Flex>
          </Flex>
        )}
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="sigma" textColor="neutral600" tag="h3">
            Drafts
          </Typography>
          {drafts.length === 0 ? (
            <Typography textColor="neutral600">
              {connection.phase === 'connecting' ? 'Loading your drafts…' : 'No drafts. "New poll" writes one.'}
            </Typography>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={2} tag="ul" aria-label="Poll drafts">
              {drafts.map((poll) => (
                <DraftPoll
                  key={poll.id}
                  poll={poll}
                  canLaunch={canLaunch}
                  busy={busy === poll.id}
                  onLaunch={() => void act(poll, 'launch')}
                  onEdit={() => setComposer({ editing: poll })}
                  onDelete={() => void act(poll, 'delete')}
                />
              ))}
            </Flex>
          )}
        </Flex>
      </Flex>
    </Card>
  );
};
