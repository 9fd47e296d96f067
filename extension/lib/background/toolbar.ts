/**
 * The toolbar button's look follows the user's state: the plain mark; the mark with a green dot while a call is
 * logged or shown as in progress in any tab; a red "!" badge when nobody is signed in (nothing syncs until they are).
 * Other modules add their own badge with registerToolbarBadge (reminders.ts: an overdue check-in); sign-in needed wins,
 * then badges in the order they were registered.
 *
 * chrome.action (https://developer.chrome.com/docs/extensions/reference/api/action; Chromium's action.json):
 * setIcon({ path: { size: path } }), setBadgeText({ text }) ('' clears it), setBadgeBackgroundColor({ color }),
 * setTitle({ title }); without tabId each applies to every tab. Firefox's `action` has the same four
 * (MDN browserAction/setIcon).
 */
import { browser } from 'wxt/browser';
import { type IconVariant, iconPath } from '../../../shared/brand/mark.ts';
import { t } from '../i18n.ts';
import { signedInItem, tabCallsItem } from './storage.ts';

export interface ToolbarBadge {
  /** One or two characters: the badge has room for about four. */
  text: string;
  color: string;
  /** The tooltip while this badge shows, saying what it means. */
  title: string;
}

export interface ToolbarState {
  signedIn: boolean;
  inCall: boolean;
  /** Badges other modules ask for, highest priority first; null where a module has nothing to show. */
  badges: readonly (ToolbarBadge | null)[];
}

export interface ToolbarAppearance {
  icon: IconVariant;
  badge: Pick<ToolbarBadge, 'text' | 'color'> | null;
  title: string;
}

/** Sign-in needed. The title is read when it is shown (a getter), in the browser's language of that moment. */
export const SIGN_IN_BADGE: ToolbarBadge = {
  text: '!',
  color: '#c62828',
  get title() {
    return t('toolbar_signInTitle');
  },
};

/** What the toolbar button shows for a state. Pure: the whole decision, tested without a browser. */
export function toolbarAppearance(state: ToolbarState): ToolbarAppearance {
  const badge = state.signedIn ? (state.badges.find((b): b is ToolbarBadge => b !== null) ?? null) : SIGN_IN_BADGE;
  // Signed out, no meeting is logged (calls.ts needs a user), so the in-call dot would promise something untrue.
  const icon: IconVariant = state.signedIn && state.inCall ? 'in-call' : 'normal';
  const title = badge?.title ?? (icon === 'in-call' ? t('toolbar_inCallTitle') : t('extName'));
  return { icon, badge: badge && { text: badge.text, color: badge.color }, title };
}

type BadgeSource = () => Promise<ToolbarBadge | null>;
const badgeSources: BadgeSource[] = [];

/** Adds a module's badge (asked on every refresh); call refreshToolbar() when what it shows changes. */
export function registerToolbarBadge(source: BadgeSource): void {
  badgeSources.push(source);
}

async function currentState(): Promise<ToolbarState> {
  const [signedIn, calls, badges] = await Promise.all([
    signedInItem.get(),
    tabCallsItem.get(),
    Promise.all(badgeSources.map((source) => source().catch(() => null))),
  ]);
  return { signedIn: signedIn !== null, inCall: Object.values(calls).some((call) => call.state === 'in-call'), badges };
}

async function apply(look: ToolbarAppearance): Promise<void> {
  const path = { 16: iconPath(look.icon, 16), 32: iconPath(look.icon, 32) };
  const steps = [
    () => browser.action.setBadgeText({ text: look.badge?.text ?? '' }),
    () => (look.badge ? browser.action.setBadgeBackgroundColor({ color: look.badge.color }) : undefined),
    () => browser.action.setTitle({ title: look.title }),
    () => browser.action.setIcon({ path }),
  ];
  // Each on its own: one that fails (an icon that cannot load) does not keep the badge from showing.
  const failed = (await Promise.allSettled(steps.map(async (step) => step()))).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

let queue: Promise<void> = Promise.resolve();

/** Reads the state and updates the button; refreshes run one after another, so the last state is what shows. */
export function refreshToolbar(): Promise<void> {
  const run = async () => apply(toolbarAppearance(await currentState()));
  queue = queue.then(run, run).catch((error: unknown) => console.warn('Alongside: toolbar update failed', error));
  return queue;
}

/** Storage keys (without the area prefix) whose changes can change the button: sign-in and the calls in tabs. */
const WATCHED = new Set<string>([signedInItem.key, tabCallsItem.key]);

/** Keeps the button in step with the stored state, from the background's start. */
export function watchToolbar(): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (Object.keys(changes).some((key) => WATCHED.has(`${area}:${key}`))) void refreshToolbar();
  });
  void refreshToolbar();
}
