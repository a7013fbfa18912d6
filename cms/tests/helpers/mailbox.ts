import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

/**
 * A real SMTP server for tests: Strapi's nodemailer provider delivers to it over TCP,
 * and tests read the messages (and the codes in them) back.
 */
export async function startMailbox() {
  const messages: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          for (const wake of waiters) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address));

  return {
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_SECURE: 'false', EMAIL_FROM: 'Skillyug <no-reply@test.skillyug.local>' },
    messages,
    /** All messages delivered to an address so far. */
    inbox: (address: string) => messages.filter((m) => to(m).includes(address)),
    /** Waits for the n-th message to an address (1-based). */
    async waitFor(address: string, nth = 1, timeoutMs = 10_000): Promise<ParsedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.filter((m) => to(m).includes(address));
        if (found.length >= nth) return found[nth - 1];
        if (Date.now() > deadline) throw new Error(`no message #${nth} for ${address} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => (waiters.delete(wake), resolve());
          waiters.add(wake);
          setTimeout(wake, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const codeIn = (mail: ParsedMail) => {
  const match = /Your code: (\d{6})/.exec(mail.text ?? '');
  if (!match) throw new Error(`no code in message "${mail.subject}"`);
  return match[1];
};
