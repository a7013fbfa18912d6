import { useFetchClient } from '@strapi/strapi/admin';
import { Badge, Box, Flex, Loader, Typography } from '@strapi/design-system';
import { sortQuestions } from '../../../../server/src/realtime/classroom-state';
import { formatNumber, formatTime, getPolls, getQuestions, type PollDto, type QuestionDto } from '../../api/live';
import { Card } from './Card';
import { LoadFailed } from './LoadFailed';
import { PollResultsChart } from './PollResultsChart';
import { accuracyWords, participation } from './PollsCard';
import { votesLabel } from './QuestionQueue';
import { useLoaded } from './useLoaded';

const Loading = ({ what }: { what: string }) => (
  <Card>
    <Flex gap={2}>
      <Loader small>Loading {what}</Loader>
      <Typography textColor="neutral600">Loading {what}…</Typography>
    </Flex>
  </Card>
);

const FinalPoll = ({ poll }: { poll: PollDto }) => {
  const accuracy = accuracyWords(poll);
  return (
    <Box tag="li" aria-label={poll.question} padding={4} hasRadius borderColor="neutral200">
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography fontWeight="bold">{poll.question}</Typography>
          <Flex gap={2} wrap="wrap">
            {poll.kind === 'quiz' && <Badge>Quiz</Badge>}
            {!poll.revealed && <Badge variant="neutral">Results not shown to students</Badge>}
            <Typography variant="pi" textColor="neutral600">
              {participation(poll.results?.total ?? 0, null)}
              {poll.launchedAt && ` · launched at ${formatTime(poll.launchedAt)}`}
            </Typography>
          </Flex>
        </Flex>
        <PollResultsChart poll={poll} />
        {poll.kind === 'quiz' && <Typography fontWeight="semiBold">{accuracy ?? 'Nobody answered this quiz.'}</Typography>}
      </Flex>
    </Box>
  );
};

/** After the class: every poll that was launched, with its final results and, for quizzes, how many got it right. */
export const PollsReviewCard = ({ sessionId }: { sessionId: string }) => {
  const client = useFetchClient();
  const { data, error, reload } = useLoaded(() => getPolls(client, sessionId), [client, sessionId]);
  if (error) return <LoadFailed title="Couldn't load this class's polls" error={error} onRetry={reload} />;
  if (!data) return <Loading what="the polls" />;
  const launched = data.polls
    .filter((poll) => poll.state !== 'draft')
    .sort((a, b) => (a.launchedAt ?? '').localeCompare(b.launchedAt ?? '') || a.id - b.id);
  const unused = data.polls.length - launched.length;
  const quizzes = launched.filter((poll) => poll.kind === 'quiz' && poll.results && poll.correctOption !== null);
  const right = quizzes.reduce((sum, poll) => sum + (poll.results!.counts[poll.correctOption!] ?? 0), 0);
  const answers = quizzes.reduce((sum, poll) => sum + poll.results!.total, 0);
  return (
    <Card title="Poll and quiz results">
      {launched.length === 0 ? (
        <Typography textColor="neutral600">No polls were launched in this class.</Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={3}>
          {answers > 0 && (
            <Typography>
              Quizzes overall: {Math.round((right / answers) * 100)} % of {formatNumber(answers)} answers were correct.
            </Typography>
          )}
          <Flex direction="column" alignItems="stretch" gap={3} tag="ol" aria-label="Polls of this class">
            {launched.map((poll) => (
              <FinalPoll key={poll.id} poll={poll} />
            ))}
          </Flex>
        </Flex>
      )}
      {unused > 0 && (
        <Box paddingTop={3}>
          <Typography variant="pi" textColor="neutral600">
            {formatNumber(unused)} {unused === 1 ? 'draft was' : 'drafts were'} never launched.
          </Typography>
        </Box>
      )}
    </Card>
  );
};

const ReviewQuestion = ({ question }: { question: QuestionDto }) => (
  <Box tag="li" padding={3} hasRadius borderColor="neutral200">
    <Flex direction="column" alignItems="stretch" gap={1}>
      <Flex gap={2}>
        <Badge variant={question.state === 'answered' ? 'success' : 'neutral'}>
          {question.state === 'answered' ? 'Answered' : 'Unanswered'}
        </Badge>
        <Typography variant="pi" fontWeight="bold">
          {votesLabel(question.votes)}
        </Typography>
      </Flex>
      <Typography style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{question.text}</Typography>
      <Typography variant="pi" textColor="neutral600">
        {question.author.name} · {formatTime(question.askedAt)}
      </Typography>
    </Flex>
  </Box>
);

/** After the class: the students' questions, unanswered ones first (by votes), then the answered. */
export const QuestionsReviewCard = ({ sessionId }: { sessionId: string }) => {
  const client = useFetchClient();
  const { data, error, reload } = useLoaded(() => getQuestions(client, sessionId), [client, sessionId]);
  if (error) return <LoadFailed title="Couldn't load this class's questions" error={error} onRetry={reload} />;
  if (!data) return <Loading what="the questions" />;
  const unanswered = sortQuestions(
    data.questions.filter((question) => question.state === 'open'),
    'votes',
  );
  const answered = sortQuestions(
    data.questions.filter((question) => question.state === 'answered'),
    'votes',
  );
  return (
    <Card title="Questions from students">
      {data.questions.length === 0 ? (
        <Typography textColor="neutral600">No questions were asked in this class.</Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="pi" textColor="neutral600">
            {formatNumber(answered.length)} answered · {formatNumber(unanswered.length)} unanswered
          </Typography>
          <Flex direction="column" alignItems="stretch" gap={2} tag="ul" aria-label="Questions asked">
            {[...unanswered, ...answered].map((question) => (
              <ReviewQuestion key={question.id} question={question} />
            ))}
          </Flex>
        </Flex>
      )}
    </Card>
  );
};
