import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../../shared/crypto/base64url.ts';

describe('base64url', () => {
  it('round-trips every length from 0 to 64 bytes without padding or +/', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const text = toBase64url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64url(text)).toEqual(bytes);
    }
  });

  it('matches RFC 4648 test vectors (url alphabet, no padding)', () => {
    expect(toBase64url(new TextEncoder().encode('foobar'))).toBe('Zm9vYmFy');
    expect(toBase64url(new TextEncoder().encode('fo'))).toBe('Zm8');
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('rejects characters outside the alphabet, padding, impossible lengths and non-canonical tails', () => {
    for (const bad of ['Zm8=', 'Zm+v', 'Zm/v', 'Zm9v.', 'Z', 'Zm9vY', 'Zm9']) expect(() => fromBase64url(bad), bad).toThrow(TypeError);
    expect(() => fromBase64url('Zm9')).toThrow(); // 'Zm9' has trailing bits set: 'Zm8' is the canonical 'fo'
  });
});
