/**
 * Sign-ins on the person's account (issue 8, defect 1): a banner for every sign-in they have not seen yet, naming
 * who issued the invitation it came from, and the list of sessions with an "End" button for each. Used by the side
 * panel (banner and list) and the call overlay (banner; "Review" opens the list in place).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { MySession } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { t, tCount } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';
import { formatDateTime, userTimeZone } from '../format.ts';
import { tNodes } from '../message-nodes.tsx';

export function issuerText(session: MySession): string {
  if (!session.invitation) return t('signInNotice_issuerUnknown');
  const issuer = session.invitation.issuedBy;
  return issuer ? t('signInNotice_issuer', issuer.name) : t('signInNotice_issuerGone');
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
  const how = latest.active ? issuerText(latest) : t('signInNotice_alreadyEnded', issuerText(latest));
  // The title (how many) in bold, the rest of the sentence around it.
  const title = <strong>{tCount('signInNotice_newSignIns', fresh.length)}</strong>;
  return (
    <div class="banner sign-in-notice" role="status" aria-live="polite">
      <p>
        {tNodes(fresh.length === 1 ? 'signInNotice_bannerOne' : 'signInNotice_bannerMany', title, when, how)}
        {' — '}
        <button type="button" class="small" aria-expanded={onReview ? undefined : open} onClick={() => (onReview ? onReview() : setOpen(!open))}>
          {t('signInNotice_review')}
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

  if (!sessions) return signIns.error ? <p class="error">{t('signInNotice_loadFailed', signIns.error)}</p> : null;
  return (
    <div class="session-list">
      <ul class="checklist" aria-label={t('signInNotice_listTitle')}>
        {sessions.map((s) => (
          <li key={s.id} class="checklist-item">
            <div class="checklist-text">
              <span>
                {t('signInNotice_signedIn', s.deviceLabel ?? t('signInNotice_unknownDevice'), formatDateTime(s.createdAt, timeZone))}
                {s.current && <span class="badge"> {t('signInNotice_thisDevice')}</span>}
                {s.isNew && <span class="badge"> {t('signInNotice_new')}</span>}
              </span>
              <span class="checklist-meta muted">
                {s.active
                  ? t('signInNotice_via', issuerText(s))
                  : s.endedAt
                    ? t('signInNotice_viaEnded', issuerText(s), formatDateTime(s.endedAt, timeZone))
                    : t('signInNotice_viaExpired', issuerText(s))}
              </span>
            </div>
            {s.active && !s.current && (
              <button type="button" class="small" disabled={busy === s.id} onClick={() => void end(s)} aria-label={t('signInNotice_endOther', formatDateTime(s.createdAt, timeZone))}>
                {t('signInNotice_end')}
              </button>
            )}
            {s.active && s.current && !confirming && (
              <button type="button" class="small" onClick={() => setConfirming(true)} aria-label={t('signInNotice_endThis')}>
                {t('signInNotice_end')}
              </button>
            )}
            {s.active && s.current && confirming && (
              <span class="row-actions" role="group" aria-label={t('signInNotice_confirmLabel')}>
                <span>{t('signInNotice_confirmText')}</span>
                <button type="button" class="small" disabled={busy === s.id} onClick={() => void end(s)}>
                  {t('signInNotice_endAndSignOut')}
                </button>
                <button type="button" class="small" onClick={() => setConfirming(false)}>
                  {t('signInNotice_cancel')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {sessions.some((s) => s.isNew) && (
        <button type="button" class="small" onClick={() => void acknowledge()}>
          {t('signInNotice_acknowledge')}
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
        <summary>{t('signInNotice_listTitle')}</summary>
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
