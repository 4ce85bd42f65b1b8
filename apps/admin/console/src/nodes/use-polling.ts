import { useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  data: T | null;
  error: unknown;
  updatedAt: number | null;
  paused: boolean;
}

/**
 * Calls `load` now and then every `intervalMs` (EventSource cannot send the bearer header, so
 * the live views poll). Pauses while the tab is hidden; one call at a time, never overlapping.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number): Polled<T> {
  const [state, setState] = useState<Polled<T>>({
    data: null,
    error: null,
    updatedAt: null,
    paused: document.hidden,
  });
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      timer = undefined;
      if (document.hidden) {
        setState((previous) => ({ ...previous, paused: true }));
        return;
      }
      try {
        const data = await loader.current();
        if (!stopped) setState({ data, error: null, updatedAt: Date.now(), paused: false });
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error, paused: false }));
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    const onVisibility = () => {
      if (!document.hidden && timer === undefined && !stopped) void tick();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs]);

  return state;
}
