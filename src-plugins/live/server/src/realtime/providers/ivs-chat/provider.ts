import {
  CreateChatTokenCommand,
  CreateRoomCommand,
  DeleteMessageCommand,
  DeleteRoomCommand,
  DisconnectUserCommand,
  IvschatClient,
} from '@aws-sdk/client-ivschat';
import { MAX_MESSAGE_LENGTH } from '../../contracts';
import { describeSdkError, isIvsError } from '../../../sessions/providers/ivs/errors';
import { ivsChannelName } from '../../../sessions/providers/ivs/channel-name';
import { ChatProviderError, type ChatProvider, type ChatUser } from '../types';
import { IVS_MAX_ATTRIBUTES_BYTES, IVS_MAX_SESSION_MINUTES, IVS_RECORDER_USER_ID, IVS_ROOM_MAX_MESSAGES_PER_SECOND } from './messaging';
import { openReader } from './reader';

type Logger = { info(message: string): void; warn(message: string): void; error(message: string): void };

export type IvsChatProviderOptions = {
  region: string;
  /** A non-AWS control-plane endpoint (a local double in tests). */
  endpoint?: string;
  /** The messaging WebSocket; `wss://edge.ivschat.<region>.amazonaws.com` by default. */
  messagingUrl?: string;
  /** Omit to use the SDK's default chain (environment, instance role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Room names are `<namePrefix>-<sessionId>`. Default 'skillyug'. */
  namePrefix?: string;
  logger: Logger;
};

/** Names, status and request id of a failed call: enough to find it in CloudTrail, never a token. */
function summary(error: unknown): string {
  const { name, message, httpStatus, requestId } = describeSdkError(error);
  return [name || 'error', message && `"${message.slice(0, 200)}"`, httpStatus && `HTTP ${httpStatus}`, requestId && `request ${requestId}`].filter(Boolean).join(', ');
}

/** IVS attributes are strings, 1 KB in all: a long display name is cut rather than refused. */
function tokenAttributes(user: ChatUser): Record<string, string> {
  let name = user.name;
  const size = (n: string) => Buffer.byteLength(JSON.stringify({ name: n, role: user.role }));
  while (size(name) > IVS_MAX_ATTRIBUTES_BYTES && name.length > 0) name = name.slice(0, Math.floor(name.length * 0.8));
  return { name, role: user.role };
}

/** Amazon IVS Chat: a room per class, tokens by role, and the server's read-only connection to each open room. */
export function ivsChatProvider(options: IvsChatProviderOptions): ChatProvider {
  const client = new IvschatClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const messagingUrl = options.messagingUrl ?? `wss://edge.ivschat.${options.region}.amazonaws.com`;
  const namePrefix = options.namePrefix ?? 'skillyug';
  const { logger } = options;

  async function call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      logger.warn(`[live] Amazon IVS Chat ${action} failed: ${summary(error)}`);
      const { name } = describeSdkError(error);
      if (name === 'AccessDeniedException') throw new ChatProviderError(`The AWS credentials are not allowed to call ivschat:${action}: add it to their IAM policy`, name);
      if (name === 'ThrottlingException') throw new ChatProviderError('Amazon IVS Chat is throttling requests; try again in a few seconds', name);
      throw new ChatProviderError(`Amazon IVS Chat ${action} failed (${name || 'unknown error'})`, name || undefined);
    }
  }

  async function chatToken(room: string, user: ChatUser) {
    const answer = await call('CreateChatToken', () =>
      client.send(
        new CreateChatTokenCommand({
          roomIdentifier: room,
          userId: user.userId,
          capabilities: user.capabilities,
          sessionDurationInMinutes: IVS_MAX_SESSION_MINUTES,
          attributes: tokenAttributes(user),
        })
      )
    );
    if (!answer.token || !answer.sessionExpirationTime) throw new ChatProviderError('Amazon IVS Chat returned no token (CreateChatToken); try again', 'MalformedResponse');
    return { messagingUrl, token: answer.token, sessionExpirationTime: new Date(answer.sessionExpirationTime).toISOString() };
  }

  return {
    name: 'ivs-chat',
    hasRooms: true,

    async createRoom(sessionId) {
      const room = await call('CreateRoom', () =>
        client.send(
          new CreateRoomCommand({
            name: ivsChannelName(namePrefix, sessionId),
            maximumMessageRatePerSecond: IVS_ROOM_MAX_MESSAGES_PER_SECOND,
            maximumMessageLength: MAX_MESSAGE_LENGTH,
            tags: { app: 'skillyug', session: sessionId },
          })
        )
      );
      if (!room.arn) throw new ChatProviderError('Amazon IVS Chat created no room (its answer had no ARN); try again', 'MalformedResponse');
      logger.info(`[live] Amazon IVS Chat room ${room.arn} created for session ${sessionId}`);
      return room.arn;
    },

    async deleteRoom(room) {
      try {
        await client.send(new DeleteRoomCommand({ identifier: room }));
        logger.info(`[live] Amazon IVS Chat room ${room} deleted`);
      } catch (error) {
        if (isIvsError(error, 'ResourceNotFoundException')) return; // already gone: what we wanted
        logger.warn(`[live] Amazon IVS Chat DeleteRoom failed: ${summary(error)}`);
        throw new ChatProviderError(`Amazon IVS Chat DeleteRoom failed (${describeSdkError(error).name || 'unknown error'})`);
      }
    },

    chatToken,

    read(room, onMessage, onGone) {
      return openReader({
        url: messagingUrl,
        token: async () => {
          const grant = await chatToken(room, { userId: IVS_RECORDER_USER_ID, name: 'Skillyug', role: 'recorder', capabilities: [] });
          return { token: grant.token, sessionExpirationTime: new Date(grant.sessionExpirationTime) };
        },
        onMessage,
        onGone,
        isGone: (error) => error instanceof ChatProviderError && error.code === 'ResourceNotFoundException',
        logger,
        label: room,
      });
    },

    async deleteMessage(room, messageId, reason) {
      await call('DeleteMessage', () => client.send(new DeleteMessageCommand({ roomIdentifier: room, id: messageId, reason: reason.slice(0, 256) })));
    },

    async disconnectUser(room, userId, reason) {
      await call('DisconnectUser', () => client.send(new DisconnectUserCommand({ roomIdentifier: room, userId, reason: reason.slice(0, 256) })));
    },

    async stop() {
      client.destroy();
    },
  };
}
