// The live room's state and the partner's presence, said plainly: whether changes arrive by themselves, and when not,
// that the page is checking on its own and when it tries to reconnect.
import type { LivePresence } from '../../../shared/schemas/index.ts';
import { t } from '../../lib/i18n.ts';
import type { LiveState } from '../../lib/live-connection.ts';
import { firstName } from '../format.ts';
import { useNow } from '../hooks.ts';

export function describeLive(state: LiveState, pollEveryMs: number, now: number): { text: string; tone: 'ok' | 'busy' | 'warn' } {
  if (state.kind === 'live') return { text: t('liveStatus_live'), tone: 'ok' };
  if (state.kind === 'connecting') return { text: t('liveStatus_connecting'), tone: 'busy' };
  const seconds = Math.max(1, Math.ceil((state.retryAt - now) / 1000));
  const every = pollEveryMs >= 60_000 ? t('liveStatus_everyMinutes', Math.round(pollEveryMs / 60_000)) : t('liveStatus_everySeconds', Math.round(pollEveryMs / 1000));
  return { text: t('liveStatus_polling', every, seconds), tone: 'warn' };
}

export function LiveLine({ state, pollEveryMs }: { state: LiveState; pollEveryMs: number }) {
  // Its own clock, for the reconnect countdown; only this line re-renders each second.
  const now = useNow(1_000);
  const described = describeLive(state, pollEveryMs, now);
  return (
    <div class={`status-line live-line tone-${described.tone}`} data-live={state.kind} title={state.kind === 'reconnecting' ? state.reason : undefined}>
      <span role="status" aria-live="polite">
        {described.text}
      </span>
    </div>
  );
}

/** "Theo has the call open" / "Theo has Alongside open", or nothing when the partner is not connected. */
export function partnerPresence(presence: LivePresence[], partner: { id: string; name: string }): string | null {
  const theirs = presence.find((p) => p.userId === partner.id);
  if (!theirs || theirs.connections === 0) return null;
  return theirs.inCall ? t('liveStatus_partnerInCall', firstName(partner.name)) : t('liveStatus_partnerOnline', firstName(partner.name));
}

export function PartnerPresence({ presence, partner }: { presence: LivePresence[]; partner: { id: string; name: string } }) {
  const text = partnerPresence(presence, partner);
  if (!text) return null;
  return (
    <span class="presence" role="status">
      <span class="presence-dot" aria-hidden="true" /> {text}
    </span>
  );
}
