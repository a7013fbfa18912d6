import gateway from './gateway';
import chat from './chat';
import presence from './presence';
import grants from './grants';
import state from './state';
import chatRooms from './chat-rooms';

export default { realtimeGateway: gateway, realtimeChat: chat, realtimePresence: presence, realtimeGrants: grants, realtimeState: state, realtimeChatRooms: chatRooms };
