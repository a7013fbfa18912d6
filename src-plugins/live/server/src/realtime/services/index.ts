import gateway from './gateway';
import chat from './chat';
import presence from './presence';
import grants from './grants';
import state from './state';
import chatRooms from './chat-rooms';
import classroom from './classroom';
import questions from './questions';
import polls from './polls';
import signals from './signals';

export default {
  realtimeGateway: gateway,
  realtimeChat: chat,
  realtimePresence: presence,
  realtimeGrants: grants,
  realtimeState: state,
  realtimeChatRooms: chatRooms,
  realtimeClassroom: classroom,
  realtimeQuestions: questions,
  realtimePolls: polls,
  realtimeSignals: signals,
};
