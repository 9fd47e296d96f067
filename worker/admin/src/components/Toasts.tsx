import { useEffect, useState } from 'preact/hooks';

/**
 * Short confirmations ("Link copied", "Pair paused"), shown for a few seconds and read out by screen readers
 * through a polite live region.
 */
type Listener = (text: string) => void;
const listeners = new Set<Listener>();

export function toast(text: string): void {
  for (const l of listeners) l(text);
}

export function Toasts() {
  const [items, setItems] = useState<{ id: number; text: string }[]>([]);
  useEffect(() => {
    let next = 0;
    const listener: Listener = (text) => {
      const id = ++next;
      setItems((all) => [...all, { id, text }]);
      setTimeout(() => setItems((all) => all.filter((i) => i.id !== id)), 4000);
    };
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return (
    <div class="toast-region" role="status" aria-live="polite">
      {items.map((i) => (
        <div class="toast" key={i.id}>
          {i.text}
        </div>
      ))}
    </div>
  );
}
