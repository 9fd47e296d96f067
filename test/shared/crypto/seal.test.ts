import { describe, expect, it } from 'vitest';
import { createSymmetricKey } from '../../../shared/crypto/key-wrap.ts';
import { Sealed, isSealed, keyIdOf, open, seal, type SealContext } from '../../../shared/crypto/seal.ts';
import type { SymmetricKey } from '../../../shared/crypto/symmetric-keys.ts';
import { flipBit, person, reasonOf } from './helpers.ts';

const context: SealContext = { pairId: 'pair-1', recordId: 'entry-1', field: 'body' };

async function pairKey(scope = 'pair-1'): Promise<SymmetricKey> {
  const ada = await person('ada');
  const device = ada.devices[0]!;
  return (await createSymmetricKey({ kind: 'pair', scope, sender: device, recipients: [device.publicKeySpki] })).key;
}

describe('seal / open', () => {
  it('round-trips text, including empty, emoji and long text', async () => {
    const key = await pairKey();
    for (const text of ['', 'Goal: ship the portfolio by June.', 'Ünïcødé — 日本語 — 👩🏽‍💻', 'x'.repeat(100_000)]) {
      const sealed = await seal({ key, plaintext: text, context });
      expect(await open({ keys: key, sealed, context })).toBe(text);
    }
  });

  it('has the compact shape a1.<keyId>.<nonce>.<ciphertext> and names its key', async () => {
    const key = await pairKey();
    const sealed = await seal({ key, plaintext: 'hello', context });
    const [version, keyId, nonce, ciphertext] = sealed.split('.');
    expect(version).toBe('a1');
    expect(keyId).toBe(key.keyId);
    expect(nonce).toHaveLength(16); // 12 bytes
    expect(ciphertext).toHaveLength(Math.ceil(((5 + 16) * 4) / 3)); // 5 bytes of text + 16-byte tag
    expect(keyIdOf(sealed)).toBe(key.keyId);
    expect(Sealed.safeParse(sealed).success).toBe(true);
    expect(sealed).not.toContain('hello');
  });

  it('uses a fresh nonce each time: the same text seals differently', async () => {
    const key = await pairKey();
    const a = await seal({ key, plaintext: 'same', context });
    const b = await seal({ key, plaintext: 'same', context });
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('refuses a flipped bit in the nonce, the ciphertext or the tag as tampered', async () => {
    const key = await pairKey();
    const sealed = await seal({ key, plaintext: 'Theo wants to move to product design', context });
    expect(await reasonOf(open({ keys: key, sealed: flipBit(sealed, 2, 0), context }))).toBe('tampered'); // nonce
    expect(await reasonOf(open({ keys: key, sealed: flipBit(sealed, 2, 11, 7), context }))).toBe('tampered'); // nonce, last byte
    expect(await reasonOf(open({ keys: key, sealed: flipBit(sealed, 3, 0), context }))).toBe('tampered'); // first ciphertext byte
    expect(await reasonOf(open({ keys: key, sealed: flipBit(sealed, 3, -1, 3), context }))).toBe('tampered'); // tag
    expect(await reasonOf(open({ keys: key, sealed: flipBit(sealed, 3, -16), context }))).toBe('tampered'); // tag, first byte
  });

  it('refuses a ciphertext moved to another record, pair or field', async () => {
    const key = await pairKey();
    const sealed = await seal({ key, plaintext: 'private detail', context });
    expect(await reasonOf(open({ keys: key, sealed, context: { ...context, recordId: 'entry-2' } }))).toBe('tampered');
    expect(await reasonOf(open({ keys: key, sealed, context: { ...context, pairId: 'pair-2' } }))).toBe('tampered');
    expect(await reasonOf(open({ keys: key, sealed, context: { ...context, field: 'title' } }))).toBe('tampered');
    // and still opens where it belongs
    expect(await open({ keys: key, sealed, context })).toBe('private detail');
  });

  it('says wrong-key when the key held under that id is another key', async () => {
    const key = await pairKey();
    const other = await pairKey();
    const sealed = await seal({ key, plaintext: 'note', context });
    // A different key material filed under the same id (e.g. a corrupted or substituted key store entry).
    const impostor: SymmetricKey = { ...key, key: other.key };
    expect(await reasonOf(open({ keys: impostor, sealed, context }))).toBe('wrong-key');
  });

  it('says unknown-key when no held key has the id', async () => {
    const key = await pairKey();
    const other = await pairKey();
    const sealed = await seal({ key, plaintext: 'note', context });
    expect(await reasonOf(open({ keys: other, sealed, context }))).toBe('unknown-key');
    expect(await reasonOf(open({ keys: [], sealed, context }))).toBe('unknown-key');
  });

  it('says malformed for anything that is not a sealed value', async () => {
    const key = await pairKey();
    const sealed = await seal({ key, plaintext: 'note', context });
    const [, keyId, nonce, ct] = sealed.split('.');
    const bad = [
      '',
      'plain text note',
      `a2.${keyId}.${nonce}.${ct}`, // unknown version
      `a1.${keyId}.${nonce}`, // missing part
      `a1.${keyId}.${nonce}.${ct}.extra`,
      `a1.${keyId}.${nonce}.${ct}=`, // padding
      `a1.${keyId}.${nonce?.slice(0, 12)}.${ct}`, // short nonce
      `a1.${keyId}.${nonce}.${ct?.slice(0, 10)}`, // shorter than a tag
      `a1.${keyId}.${nonce}.${ct?.replace(/^./, '+')}`,
    ];
    for (const value of bad) expect(await reasonOf(open({ keys: key, sealed: value, context })), value).toBe('malformed');
  });

  it('Sealed accepts only the sealed shape (the API can require ciphertext)', async () => {
    const key = await pairKey();
    const sealed = await seal({ key, plaintext: '', context });
    expect(Sealed.safeParse(sealed).success).toBe(true);
    for (const value of ['Met on Tuesday, agreed on goals', `a2${sealed.slice(2)}`, sealed.replace('.', '..'), 42, null]) {
      expect(Sealed.safeParse(value).success, String(value)).toBe(false);
      expect(isSealed(value)).toBe(false);
    }
  });

  it('refuses a context without pair, record or field', async () => {
    const key = await pairKey();
    await expect(seal({ key, plaintext: 'x', context: { ...context, recordId: '' } })).rejects.toThrow(TypeError);
  });

  it('seals and opens 1,000 short notes', async () => {
    const key = await pairKey();
    const notes = Array.from({ length: 1000 }, (_, i) => `note ${i}: follow up on goal ${i % 7}`);
    const sealed = await Promise.all(notes.map((plaintext, i) => seal({ key, plaintext, context: { ...context, recordId: `e${i}` } })));
    expect(new Set(sealed.map((s) => s.split('.')[2])).size).toBe(1000); // no nonce repeated
    const opened = await Promise.all(sealed.map((s, i) => open({ keys: key, sealed: s, context: { ...context, recordId: `e${i}` } })));
    expect(opened).toEqual(notes);
  });
});
