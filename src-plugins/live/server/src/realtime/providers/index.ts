import type { Env } from '@skillyug/config';
import { ivsChatProvider } from './ivs-chat';
import { socketIoChatProvider } from './socketio';
import type { ChatProvider } from './types';

export * from './types';

type Logger = { info(message: string): void; warn(message: string): void; error(message: string): void };

/** The chat provider the configuration asks for: Amazon IVS Chat when CHAT_PROVIDER=ivs-chat, else the classroom socket alone. */
export function createChatProvider(env: Env, logger: Logger): ChatProvider {
  if (env.CHAT_PROVIDER !== 'ivs-chat') return socketIoChatProvider();
  return ivsChatProvider({
    region: env.AWS_REGION!,
    endpoint: env.IVSCHAT_ENDPOINT,
    messagingUrl: env.IVSCHAT_MESSAGING_URL,
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } : undefined,
    logger,
  });
}
