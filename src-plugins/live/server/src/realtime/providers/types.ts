/**
 * The one interface the chat services talk to for where students' messages travel.
 * `socketio` (default): the classroom's socket carries everything; the provider has nothing to do.
 * `ivs-chat`: an Amazon IVS Chat room per class carries what clients send (`@aws-sdk/client-ivschat`
 * and IVS's messaging WebSocket); a read-only connection per open class hands every message to the
 * chat service, which stores it and pushes it on the socket like any other (services/chat-rooms.ts).
 */
import type { AuthorRole, IvsChatGrant } from '../contracts';

export type ChatProviderName = 'socketio' | 'ivs-chat';

/** IVS Chat's capabilities; a token without any is read-only. */
export type IvsChatCapability = 'SEND_MESSAGE' | 'DELETE_MESSAGE' | 'DISCONNECT_USER';

/** Who a chat token is for, as the provider's messages will name the sender. */
export type ChatUser = {
  /** `student-<id>` | `admin-<id>` (the two id spaces differ), or the server's reader. */
  userId: string;
  name: string;
  role: AuthorRole | 'recorder';
  capabilities: IvsChatCapability[];
};

/** A message a client sent through the provider, as its read-only connection received it. */
export type ProviderMessage = {
  /** The provider's id of the message (IVS `Id`): what DeleteMessage takes. */
  id: string;
  content: string;
  sentAt: Date;
  sender: { userId: string; attributes: Record<string, string> };
};

export type ChatReader = {
  /** Stops reading (and reconnecting). */
  close(): void;
  readonly open: boolean;
};

export interface ChatProvider {
  readonly name: ChatProviderName;
  /** Whether clients send through the provider (and the server must read its rooms). */
  readonly hasRooms: boolean;

  /** A room for one class; returns its reference (IVS: the room ARN). */
  createRoom(sessionId: string): Promise<string>;
  /** Frees the room. Deleting one that is already gone is not an error. */
  deleteRoom(room: string): Promise<void>;
  /** A token for one participant's own messaging connection, and where to connect. */
  chatToken(room: string, user: ChatUser): Promise<IvsChatGrant>;
  /**
   * Reads the room with a token without capabilities, handing each message to `onMessage` in
   * arrival order; reconnects (with a fresh token) after a drop and renews before the connection's
   * session expires. Resolves once connected.
   */
  read(room: string, onMessage: (message: ProviderMessage) => void, onGone: () => void): Promise<ChatReader>;
  /** Removes a message for everyone connected to the room. */
  deleteMessage(room: string, messageId: string, reason: string): Promise<void>;
  /** Closes every connection of the user to the room. */
  disconnectUser(room: string, userId: string, reason: string): Promise<void>;
  stop(): Promise<void>;
}

/** A provider call that failed, in words an operator can act on. */
export class ChatProviderError extends Error {
  constructor(
    message: string,
    /** The provider's error name, e.g. ThrottlingException, ResourceNotFoundException. */
    readonly code?: string
  ) {
    super(message);
    this.name = 'ChatProviderError';
  }
}
