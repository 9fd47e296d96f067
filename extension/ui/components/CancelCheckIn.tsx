// Calling off the scheduled check-in (either partner may, issue 9): asked twice, since the partner loses it too.
import { useState } from 'preact/hooks';

export function CancelCheckIn({ when, partnerName, busy, onConfirm }: { when: string; partnerName: string; busy: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="link danger" disabled={busy} onClick={() => setAsking(true)}>
        Cancel check-in
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label="Cancel the check-in?">
      <span>
        Cancel the check-in on {when}? {partnerName} will see it is off.
      </span>{' '}
      <button
        type="button"
        class="small danger"
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {busy ? 'Cancelling…' : 'Yes, cancel it'}
      </button>{' '}
      <button type="button" class="small" disabled={busy} onClick={() => setAsking(false)}>
        Keep it
      </button>
    </div>
  );
}
