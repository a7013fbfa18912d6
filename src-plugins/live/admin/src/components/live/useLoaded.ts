import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../api/live';

/**
 * Loads once per change of `deps` (and again on `reload()`), ignoring answers that arrive after
 * the component moved on: `data` stays while a reload runs, `error` is the API's message.
 */
export function useLoaded<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    setError(null);
    load()
      .then((value) => current && setData(value))
      .catch((e) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
    // `load` is a new closure each render; `deps` say when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, reloads]);

  return { data, error, reload };
}
