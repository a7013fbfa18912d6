import liveChatMessage from './live-chat-message/schema.json';
import liveModerationAction from './live-moderation-action/schema.json';

export default {
  'live-chat-message': { schema: liveChatMessage },
  'live-moderation-action': { schema: liveModerationAction },
};
