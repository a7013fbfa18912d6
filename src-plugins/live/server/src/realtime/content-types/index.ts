import liveChatMessage from './live-chat-message/schema.json';
import liveModerationAction from './live-moderation-action/schema.json';
import liveQuestion from './live-question/schema.json';
import liveQuestionVote from './live-question-vote/schema.json';
import livePoll from './live-poll/schema.json';
import livePollVote from './live-poll-vote/schema.json';
import liveSignal from './live-signal/schema.json';

export default {
  'live-chat-message': { schema: liveChatMessage },
  'live-moderation-action': { schema: liveModerationAction },
  'live-question': { schema: liveQuestion },
  'live-question-vote': { schema: liveQuestionVote },
  'live-poll': { schema: livePoll },
  'live-poll-vote': { schema: livePollVote },
  'live-signal': { schema: liveSignal },
};
