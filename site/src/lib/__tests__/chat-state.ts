import type { ChatClient, ChatState } from '../chat-client';

/**
 * Resolves with the chat client's state once `check` holds: on every change of its store, no
 * polling. Shared by the chat client's unit tests and the operations tests (cms/tests/ops).
 */
export function untilChatState(target: ChatClient, check: (state: ChatState) => boolean, what = 'the chat state', timeoutMs = 8_000): Promise<ChatState> {
  return new Promise((resolve, reject) => {
    if (check(target.getState())) return resolve(target.getState());
    const timer = setTimeout(() => {
      unsubscribe();
      const state = target.getState();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; state: ${JSON.stringify({ ...state, log: state.log.messages.map((m) => m.seq) })}`));
    }, timeoutMs);
    const unsubscribe = target.subscribe(() => {
      if (!check(target.getState())) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(target.getState());
    });
  });
}
