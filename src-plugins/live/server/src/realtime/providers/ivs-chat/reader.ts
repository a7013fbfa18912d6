import WebSocket from 'ws';
import { parseIvsChatFrame } from './messaging';
import type { ChatReader, ProviderMessage } from '../types';

type Logger = { info(message: string): void; warn(message: string): void };

export type ReaderOptions = {
  url: string;
  /** A fresh read-only token for each connection (IVS tokens connect once, within their validity). */
  token: () => Promise<{ token: string; sessionExpirationTime: Date }>;
  onMessage: (message: ProviderMessage) => void;
  /** The room is gone (deleted, or no token can be had for it): reading stopped for good. */
  onGone: () => void;
  isGone: (error: unknown) => boolean;
  logger: Logger;
  label: string;
};

const CONNECT_TIMEOUT_MS = 10_000;
/** The next connection is opened this long before the current one's session expires. */
const RENEW_BEFORE_MS = 2 * 60_000;
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * The server's read-only connection to one IVS Chat room. After a drop it reconnects with a fresh
 * token; before IVS ends the connection's session it opens the next one and closes the old one
 * only once the new one is in, so no message falls between the two (the overlap delivers some
 * twice: the consumer keys on the message id).
 */
export async function openReader(options: ReaderOptions): Promise<ChatReader> {
  let closed = false;
  let current: WebSocket | null = null;
  let renewTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  function connect(): Promise<WebSocket> {
    return options.token().then(
      ({ token, sessionExpirationTime }) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(options.url, token, { handshakeTimeout: CONNECT_TIMEOUT_MS });
          ws.on('message', (data) => {
            const frame = parseIvsChatFrame(String(data));
            if (frame?.Type !== 'MESSAGE') return;
            const sentAt = new Date(frame.SendTime);
            options.onMessage({
              id: frame.Id,
              content: frame.Content,
              sentAt: Number.isNaN(sentAt.getTime()) ? new Date() : sentAt,
              sender: { userId: frame.Sender.UserId, attributes: frame.Sender.Attributes ?? {} },
            });
          });
          ws.once('open', () => {
            failures = 0;
            const previous = current;
            current = ws;
            previous?.close(1000);
            scheduleRenewal(sessionExpirationTime);
            resolve(ws);
          });
          ws.once('error', (error) => reject(error));
          ws.once('close', (code) => {
            if (current !== ws || closed) return;
            current = null;
            options.logger.warn(`[live] IVS Chat reader of ${options.label} disconnected (code ${code}); reconnecting`);
            retry();
          });
        })
    );
  }

  function scheduleRenewal(expiresAt: Date) {
    clearTimeout(renewTimer);
    const wait = Math.max(5_000, expiresAt.getTime() - Date.now() - RENEW_BEFORE_MS);
    renewTimer = setTimeout(() => {
      if (!closed) connect().catch((error) => giveUpOrRetry(error));
    }, wait);
    renewTimer.unref();
  }

  function retry() {
    clearTimeout(retryTimer);
    const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)];
    failures += 1;
    retryTimer = setTimeout(() => {
      if (!closed) connect().catch((error) => giveUpOrRetry(error));
    }, delay);
    retryTimer.unref();
  }

  function giveUpOrRetry(error: unknown) {
    if (closed) return;
    if (options.isGone(error)) {
      reader.close();
      options.onGone();
      return;
    }
    options.logger.warn(`[live] IVS Chat reader of ${options.label} could not connect (${(error as Error).message}); retrying`);
    if (!current) retry();
  }

  const reader: ChatReader = {
    close() {
      closed = true;
      clearTimeout(renewTimer);
      clearTimeout(retryTimer);
      current?.close(1000);
      current = null;
    },
    get open() {
      return !closed && current?.readyState === WebSocket.OPEN;
    },
  };

  try {
    await connect();
  } catch (error) {
    reader.close();
    throw error;
  }
  options.logger.info(`[live] IVS Chat reader of ${options.label} connected`);
  return reader;
}
