/**
 * Sign-ins on the person's account (issue 8, defect 1): a banner for every sign-in they have not seen yet, naming
 * who issued the invitation it came from, and the list of sessions with an "End" button for each. Used by the side
 * panel (banner and list) and the call overlay (banner; "Review" opens the list in place).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { MySession } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { errorMessage } from '../errors.ts';
import { formatDateTime, userTimeZone } from '../format.ts';

export function issuerText(session: MySession): string {
  if (!session.invitation) return 'how it was created was not recorded';
  const issuer = session.invitation.issuedBy;
  return issuer ? `invitation from ${issuer.name}` : 'invitation from an admin no longer in the programme';
}

export interface SignIns {
  sessions: MySession[] | null;
  error: string | null;
  reload: () => Promise<void>;
}

/** Loads the person's sessions; a failure leaves `sessions` null (the banner then stays away) and keeps the message. */
export function useSignIns(): SignIns {
  const [sessions, setSessions] = useState<MySession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setSessions((await ask('sessions.list', {})).sessions);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { sessions, error, reload };
}

/**
 * The banner: "New sign-in on your account: <date>, invitation from <admin> — Review". `onReview` opens the list;
 * without it the list opens right under the banner.
 */
export function SignInNotice({ signIns, onSignedOut, onReview }: { signIns: SignIns; onSignedOut: () => void; onReview?: () => void }) {
  const [open, setOpen] = useState(false);
  const fresh = (signIns.sessions ?? []).filter((s) => s.isNew);
  const latest = fresh[0];
  if (!latest) return null;
  const when = formatDateTime(latest.createdAt, userTimeZone());
  return (
    <div class="banner sign-in-notice" role="status" aria-live="polite">
      <p>
        <strong>{fresh.length === 1 ? 'New sign-in on your account' : `${fresh.length} new sign-ins on your account`}</strong>
        {fresh.length === 1 ? ': ' : '; latest: '}
        {when}, {issuerText(latest)}
        {latest.active ? '' : ' (already ended)'}
        {' — '}
        <button type="button" class="small" aria-expanded={onReview ? undefined : open} onClick={() => (onReview ? onReview() : setOpen(!open))}>
          Review
        </button>
      </p>
      {open && !onReview && <SessionList signIns={signIns} onSignedOut={onSignedOut} />}
    </div>
  );
}

/** Every active session (and new ones that already ended), each with how it was created and an End button. */
export function SessionList({ signIns, onSignedOut }: { signIns: SignIns; onSignedOut: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const timeZone = userTimeZone();
  const sessions = signIns.sessions;

  const end = async (session: MySession) => {
    setBusy(session.id);
    setProblem(null);
    try {
      const { signedOut } = await ask('sessions.end', { id: session.id });
      setConfirming(false);
      if (signedOut) return onSignedOut();
      await signIns.reload();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const acknowledge = async () => {
    setProblem(null);
    try {
      await ask('sessions.acknowledge', {});
      await signIns.reload();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  if (!sessions) return signIns.error ? <p class="error">Could not load your sign-ins: {signIns.error}</p> : null;
  return (
    <div class="session-list">
      <ul class="checklist" aria-label="Sign-ins on your account">
        {sessions.map((s) => (
          <li key={s.id} class="checklist-item">
            <div class="checklist-text">
              <span>
                {s.deviceLabel ?? 'Unknown device'} · signed in {formatDateTime(s.createdAt, timeZone)}
                {s.current && <span class="badge"> This device</span>}
                {s.isNew && <span class="badge"> New</span>}
              </span>
              <span class="checklist-meta muted">
                Via {issuerText(s)}
                {s.active ? '' : ` · ended${s.endedAt ? ` ${formatDateTime(s.endedAt, timeZone)}` : ' (expired)'}`}
              </span>
            </div>
            {s.active && !s.current && (
              <button type="button" class="small" disabled={busy === s.id} onClick={() => void end(s)} aria-label={`End the sign-in of ${formatDateTime(s.createdAt, timeZone)}`}>
                End
              </button>
            )}
            {s.active && s.current && !confirming && (
              <button type="button" class="small" onClick={() => setConfirming(true)} aria-label="End this device's sign-in">
                End
              </button>
            )}
            {s.active && s.current && confirming && (
              <span class="row-actions" role="group" aria-label="Confirm signing out">
                <span>This signs you out here.</span>
                <button type="button" class="small" disabled={busy === s.id} onClick={() => void end(s)}>
                  End and sign out
                </button>
                <button type="button" class="small" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {sessions.some((s) => s.isNew) && (
        <button type="button" class="small" onClick={() => void acknowledge()}>
          I have seen these sign-ins
        </button>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** Side panel: the banner, and the list in a disclosure that "Review" opens. */
export function PanelSignIns({ onSignedOut }: { onSignedOut: () => void }) {
  const signIns = useSignIns();
  const [open, setOpen] = useState(false);
  return (
    <>
      <SignInNotice signIns={signIns} onSignedOut={onSignedOut} onReview={() => setOpen(true)} />
      <details class="card sign-ins" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>Sign-ins on your account</summary>
        {open && <SessionList signIns={signIns} onSignedOut={onSignedOut} />}
      </details>
    </>
  );
}

/** Call overlay: only the banner; "Review" shows the list in place. */
export function OverlaySignIns({ onSignedOut }: { onSignedOut: () => void }) {
  const signIns = useSignIns();
  return <SignInNotice signIns={signIns} onSignedOut={onSignedOut} />;
}
