/**
 * This browser's device key pair (issue 10): made on first use, kept in IndexedDB (store.ts), published to the server.
 * The server says whether it is approved: the person's first device is, a later one once another device of theirs
 * approved it (approval.ts) or it was restored with the recovery key (recovery.ts).
 */
import { createDeviceKeyPair } from '../../../shared/crypto/index.ts';
import type { DeviceKey } from '../../../shared/schemas/index.ts';
import { ApiFailure, api, unwrap } from '../background/api.ts';
import { signedOutError } from '../background/requests.ts';
import { signedInItem } from '../background/storage.ts';
import { t } from '../i18n.ts';
import { forgetUser, getStoredDevice, putStoredDevice, type StoredDevice } from './store.ts';

export interface Me {
  userId: string;
  serverUrl: string;
}

export async function me(): Promise<Me> {
  const signedIn = await signedInItem.get();
  if (!signedIn) throw signedOutError();
  return { userId: signedIn.user.id, serverUrl: signedIn.serverUrl };
}

/**
 * "Chrome on Linux": how the person tells their devices apart (no version, nothing that identifies the machine). The
 * product and platform tokens are those of MDN's User-Agent reference
 * (https://developer.mozilla.org/docs/Web/HTTP/Headers/User-Agent#firefox_ua_string and the Chrome/Edge sections).
 */
export function deviceLabel(userAgent = globalThis.navigator?.userAgent ?? ''): string {
  const browserName = /Firefox\//.test(userAgent) ? 'Firefox' : /Edg\//.test(userAgent) ? 'Edge' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome' : t('e2eeDevice_anyBrowser');
  const system = /Windows/.test(userAgent) ? 'Windows' : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS' : /CrOS/.test(userAgent) ? 'ChromeOS' : /Linux/.test(userAgent) ? 'Linux' : null;
  return system === null ? t('e2eeDevice_labelAnySystem', browserName) : t('e2eeDevice_label', browserName, system);
}

/** The device as stored here and as the server knows it. */
export interface DeviceView {
  stored: StoredDevice;
  server: DeviceKey;
}

const registering = new Map<string, Promise<DeviceView>>();
const known = new Map<string, { view: DeviceView; at: number }>();
/** How long the server's view of this device (approved or not) is reused before asking again. */
const DEVICE_TTL_MS = 30_000;

/**
 * This browser's device for the signed-in person, registered on their server. Makes the key pair the first time.
 * A key the server no longer takes (revoked, or registered to someone else after a server reset) is replaced.
 * `fresh`: ask the server now (after an approval or a restore).
 */
export function ensureDevice(who: Me, options: { fresh?: boolean } = {}): Promise<DeviceView> {
  const key = `${who.userId}@${who.serverUrl}`;
  const cached = known.get(key);
  if (cached && !options.fresh && Date.now() - cached.at < DEVICE_TTL_MS) return Promise.resolve(cached.view);
  let running = registering.get(key);
  if (!running) {
    running = register(who)
      .then((view) => {
        known.set(key, { view, at: Date.now() });
        return view;
      })
      .finally(() => registering.delete(key));
    registering.set(key, running);
  }
  return running;
}

/** Forgets the server's view of devices (signing out, a removed device). */
export function forgetDeviceViews(): void {
  known.clear();
}

async function register(who: Me): Promise<DeviceView> {
  let stored = await getStoredDevice(who.userId);
  if (stored && stored.serverUrl !== who.serverUrl) {
    await forgetUser(who.userId);
    stored = null;
  }
  if (!stored) {
    stored = { userId: who.userId, serverUrl: who.serverUrl, device: await createDeviceKeyPair(), createdAt: new Date().toISOString(), backupSealer: null };
    await putStoredDevice(stored);
  }
  const client = await api(who.serverUrl);
  const publish = (s: StoredDevice) =>
    unwrap(
      client.me.devices.$post(
        { json: { publicKeySpki: s.device.publicKeySpki, id: s.device.deviceKeyId, label: deviceLabel() } },
        { headers: { 'idempotency-key': crypto.randomUUID() } },
      ),
    );
  try {
    return { stored, server: (await publish(stored)).device };
  } catch (error) {
    // Revoked (removed from another device) or unknown to this server: this key pair is done; make a new one.
    if (!(error instanceof ApiFailure && error.status === 409)) throw error;
    await forgetUser(who.userId);
    const fresh: StoredDevice = { userId: who.userId, serverUrl: who.serverUrl, device: await createDeviceKeyPair(), createdAt: new Date().toISOString(), backupSealer: null };
    await putStoredDevice(fresh);
    return { stored: fresh, server: (await publish(fresh)).device };
  }
}

export const isApproved = (device: DeviceKey): boolean => device.approvedAt !== null;
