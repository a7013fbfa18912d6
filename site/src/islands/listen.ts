/** Adds each handler to `target` for its event and returns the one function that removes them all (an effect's cleanup). */
export function listen(target: EventTarget, handlers: Record<string, () => void>): () => void {
  const entries = Object.entries(handlers);
  for (const [event, handler] of entries) target.addEventListener(event, handler);
  return () => {
    for (const [event, handler] of entries) target.removeEventListener(event, handler);
  };
}
