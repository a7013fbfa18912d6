/**
 * The tests' two ways to wait for something that happens after a response (emails, state changes,
 * a browser's DOM): never a fixed sleep, always a condition with a deadline.
 */

/** Polls `probe` until it returns a truthy value, and returns that value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 5_000, what = 'the condition', intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Retries `check` (usually a block of expect()s) until it passes; after `timeoutMs` it throws the check's last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
