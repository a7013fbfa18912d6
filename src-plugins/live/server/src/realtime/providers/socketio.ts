import { ChatProviderError, type ChatProvider } from './types';

const noRooms = () => {
  throw new ChatProviderError('CHAT_PROVIDER=socketio has no provider rooms: the classroom socket carries the chat');
};

/** The default: the classroom's socket.io connection carries the chat, so there is nothing else to run. */
export function socketIoChatProvider(): ChatProvider {
  return {
    name: 'socketio',
    hasRooms: false,
    createRoom: async () => noRooms(),
    deleteRoom: async () => undefined,
    chatToken: async () => noRooms(),
    read: async () => noRooms(),
    deleteMessage: async () => undefined,
    disconnectUser: async () => undefined,
    stop: async () => undefined,
  };
}
