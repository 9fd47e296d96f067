import { useRef } from 'preact/hooks';
import { toast } from './Toasts.tsx';

/** A read-only value with a Copy button (falls back to selecting the text where the clipboard is not allowed). */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast('Link copied to the clipboard');
    } catch {
      input.current?.select();
      toast('Press Ctrl+C (⌘C) to copy the selected link');
    }
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="row" style={{ flexWrap: 'nowrap' }}>
        <input id={id} ref={input} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="primary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
    </div>
  );
}
