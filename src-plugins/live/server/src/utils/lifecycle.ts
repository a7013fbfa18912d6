/**
 * The process's place in its life: serving, or draining after SIGTERM (readiness answers 503 so
 * the load balancer stops sending new work while in-flight work finishes). One module-level flag,
 * shared by the cms and the live plugin through `@skillyug/live/utils/lifecycle`.
 */
let drainingSince: number | null = null;

export function isDraining(): boolean {
  return drainingSince !== null;
}

export function startDraining(now = Date.now()): void {
  drainingSince ??= now;
}

/** Test and restart support: a fresh process state. */
export function resetLifecycle(): void {
  drainingSince = null;
}
