export const CHAT_MESSAGE_UID = 'plugin::live.live-chat-message';
export const MODERATION_UID = 'plugin::live.live-moderation-action';

/** Realtime tokens live this long: enough to connect and reconnect; a connected socket outlives it. */
export const REALTIME_TOKEN_TTL_SECONDS = 10 * 60;
/** Live connections are re-announced this often (Redis presence entries expire without it). */
export const PRESENCE_HEARTBEAT_MS = 10_000;
/** How long a presence entry lives past its last heartbeat (a crashed process's connections expire). */
export const PRESENCE_ENTRY_TTL_MS = 30_000;
export const QUESTION_UID = 'plugin::live.live-question';
export const QUESTION_VOTE_UID = 'plugin::live.live-question-vote';
export const POLL_UID = 'plugin::live.live-poll';
export const POLL_VOTE_UID = 'plugin::live.live-poll-vote';
export const SIGNAL_UID = 'plugin::live.live-signal';
