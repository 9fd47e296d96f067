import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiFailure, toFailure } from './api.ts';

export interface Async<T> {
  data: T | undefined;
  error: ApiFailure | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => Promise<void>;
}

/** Loads data for a page; reruns when `deps` change and ignores answers that arrive after a newer request. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const data = await loadRef.current();
      if (ticket === latest.current) setState({ data, loading: false });
    } catch (error) {
      if (ticket === latest.current) setState((s) => ({ data: s.data, error: toFailure(error), loading: false }));
    }
  }, []);

  useEffect(() => {
    void run();
  }, deps); // the caller lists what its loader depends on

  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}

/** Sets the tab title for the page ("Pairs · Alongside admin"). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Alongside admin`;
  }, [title]);
}

/** Whether the browser prefers dark colours; charts redraw with the matching palette. */
export function useColorScheme(): 'light' | 'dark' {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const update = () => setDark(media.matches);
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return dark ? 'dark' : 'light';
}

/** Moves focus to the new page's content after in-app navigation (what a full page load does for screen readers). */
export function useFocusOnChange(key: string) {
  const ref = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
    window.scrollTo(0, 0);
  }, [key]);
  return ref;
}
