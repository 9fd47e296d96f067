import { describe, expect, it } from 'vitest';
import { KeyBackup, restoreBackup, sealBackup } from '../../../shared/crypto/backup.ts';
import { createDeviceKeyPair } from '../../../shared/crypto/device-keys.ts';
import { createSymmetricKey } from '../../../shared/crypto/key-wrap.ts';
import { InvalidRecoveryKeyError, createRecoveryKey, formatRecoveryKey, parseRecoveryKey } from '../../../shared/crypto/recovery-key.ts';
import { open, seal } from '../../../shared/crypto/seal.ts';
import { person, publicKeys, reasonOf } from './helpers.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FIXED = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 255);

async function problemOf(text: string): Promise<string> {
  try {
    await parseRecoveryKey(text);
  } catch (error) {
    if (error instanceof InvalidRecoveryKeyError) return error.problem;
    throw error;
  }
  return 'accepted';
}

describe('recovery key format', () => {
  it('is 9 groups of 4 Crockford base-32 symbols and parses back to the same secret', async () => {
    const { text, key } = await createRecoveryKey();
    expect(text).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){8}$/);
    expect((await parseRecoveryKey(text)).secret).toEqual(key.secret);
    expect(await formatRecoveryKey(new Uint8Array(key.secret))).toBe(text);
  });

  it('tolerates spaces, lower case, missing or extra dashes, and O/I/L look-alikes', async () => {
    const text = await formatRecoveryKey(new Uint8Array(FIXED));
    const variants = [
      text.toLowerCase(),
      text.replaceAll('-', ' '),
      text.replaceAll('-', ''),
      `  ${text.replaceAll('-', ' - ')}  `,
      text.replaceAll('0', 'O').replaceAll('1', 'l'),
      text.replaceAll('1', 'I').toLowerCase(),
    ];
    for (const v of variants) expect((await parseRecoveryKey(v)).secret, v).toEqual(FIXED);
  });

  it('catches every one-character typo (any position, any substitute symbol) with the checksum', async () => {
    const compact = (await formatRecoveryKey(new Uint8Array(FIXED))).replaceAll('-', '');
    let tried = 0;
    for (let i = 0; i < compact.length; i++) {
      for (const substitute of ALPHABET) {
        if (substitute === compact[i]) continue;
        const typo = compact.slice(0, i) + substitute + compact.slice(i + 1);
        expect(await problemOf(typo), `position ${i} → ${substitute}`).toBe('checksum');
        tried++;
      }
    }
    expect(tried).toBe(36 * 31);
  });

  it('catches swapped neighbours and a missing or bad character before any server call', async () => {
    const compact = (await formatRecoveryKey(new Uint8Array(FIXED))).replaceAll('-', '');
    const i = compact.split('').findIndex((c, j) => c !== compact[j + 1]);
    const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
    expect(await problemOf(swapped)).toBe('checksum');
    expect(await problemOf(compact.slice(1))).toBe('length');
    expect(await problemOf(`${compact}7`)).toBe('length');
    expect(await problemOf(compact.replace(/.$/, 'U'))).toBe('character');
    expect(await problemOf(compact.replace(/.$/, '!'))).toBe('character');
  });
});

describe('key backup sealed with the recovery key', () => {
  async function setUp() {
    const [ada, theo] = [await person('ada'), await person('theo')];
    const laptop = ada.devices[0]!;
    const personal = await createSymmetricKey({ kind: 'personal', scope: 'ada', sender: laptop, recipients: [laptop.publicKeySpki] });
    const pair = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: laptop, recipients: publicKeys(ada, theo) });
    const records = [personal.wrapped[0]!, pair.wrapped[0]!];
    const recovery = await createRecoveryKey();
    const backup = await sealBackup({ recoveryKey: recovery.key, personId: 'ada', device: laptop, records });
    return { laptop, personal, pair, recovery, backup };
  }

  it('restores personal and pair keys with their ids on a new device, which then reads old notes', async () => {
    const { personal, pair, recovery, backup } = await setUp();
    const privateNote = await seal({ key: personal.key, plaintext: 'private reflection', context: { pairId: 'pair-1', recordId: 'e1', field: 'body' } });
    const sharedNote = await seal({ key: pair.key, plaintext: 'shared action item', context: { pairId: 'pair-1', recordId: 'e2', field: 'body' } });

    // JSON round trip, as the server would store it; no key material in the clear.
    const stored = JSON.parse(JSON.stringify(backup)) as unknown;
    expect(KeyBackup.parse(stored).keys.map((k) => k.keyId)).toEqual([personal.key.keyId, pair.key.keyId]);

    // All devices lost: a new device, the recovery key typed with a few liberties.
    const newDevice = await createDeviceKeyPair();
    const typed = recovery.text.toLowerCase().replaceAll('-', ' ');
    const restored = await restoreBackup({ recoveryKey: await parseRecoveryKey(typed), backup: stored, device: newDevice });
    expect(restored.keys.map((k) => [k.kind, k.scope, k.keyId])).toEqual([
      ['personal', 'ada', personal.key.keyId],
      ['pair', 'pair-1', pair.key.keyId],
    ]);
    expect(restored.keys.every((k) => !k.key.extractable)).toBe(true);
    await expect(crypto.subtle.exportKey('raw', restored.keys[0]!.key)).rejects.toThrow();
    expect(restored.records.every((r) => r.to === newDevice.deviceKeyId)).toBe(true);
    expect(await open({ keys: restored.keys, sealed: privateNote, context: { pairId: 'pair-1', recordId: 'e1', field: 'body' } })).toBe('private reflection');
    expect(await open({ keys: restored.keys, sealed: sharedNote, context: { pairId: 'pair-1', recordId: 'e2', field: 'body' } })).toBe('shared action item');
  });

  it('a wrong recovery key (valid format, other secret) fails as wrong-key', async () => {
    const { backup } = await setUp();
    const other = await createRecoveryKey();
    expect(await reasonOf(restoreBackup({ recoveryKey: other.key, backup, device: await createDeviceKeyPair() }))).toBe('wrong-key');
  });

  it('a changed backup is refused: swapped, dropped or edited entries, another person id, bad shape', async () => {
    const { recovery, backup } = await setUp();
    const device = await createDeviceKeyPair();
    const restore = (b: unknown) => restoreBackup({ recoveryKey: recovery.key, backup: b, device });
    const [first, second] = [backup.keys[0]!, backup.keys[1]!];
    expect(await reasonOf(restore({ ...backup, keys: [second, first] }))).toBe('tampered');
    expect(await reasonOf(restore({ ...backup, keys: [first] }))).toBe('tampered');
    expect(await reasonOf(restore({ ...backup, keys: [{ ...first, scope: 'someone-else' }, second] }))).toBe('tampered');
    expect(await reasonOf(restore({ ...backup, createdAt: '2031-01-01T00:00:00.000Z' }))).toBe('tampered');
    // The derivation binds the person id, so another person's id reads as a wrong key.
    expect(await reasonOf(restore({ ...backup, personId: 'theo' }))).toBe('wrong-key');
    expect(await reasonOf(restore({ ...backup, v: 'b0' }))).toBe('malformed');
    expect(await reasonOf(restore(null))).toBe('malformed');
  });
});
