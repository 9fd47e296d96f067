// A small padlock for private entries (drawn, not an emoji, so it shows on systems without an emoji font).
export function LockIcon() {
  return (
    <svg class="lock-icon" viewBox="0 0 12 12" width="10" height="10" aria-hidden="true" focusable="false">
      <path d="M3.5 5V3.6a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" stroke-width="1.4" />
      <rect x="2" y="5" width="8" height="6" rx="1.2" fill="currentColor" />
    </svg>
  );
}
