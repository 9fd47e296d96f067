/**
 * The recovery key: 160 random bits shown once at set-up, for a person to print or write down.
 *
 *   7K3M-Q9XA-…-R2TD (8 groups of 4) + one checksum group = 9 groups, 36 symbols
 *
 * Symbols are Crockford's base 32 (digits and letters without I, L, O, U; read back case-insensitively with O→0 and
 * I/L→1; https://www.crockford.com/base32.html). The checksum group catches a typo before any server call:
 *   - its first symbol is a Luhn mod 32 check over the 32 key symbols: every single-symbol substitution is caught
 *     (Luhn mod N with even N, https://en.wikipedia.org/wiki/Luhn_mod_N_algorithm);
 *   - its other three are 15 bits of SHA-256 over the key: any other typo slips through with probability 2^-15.
 * A typo inside the checksum group itself is caught too, since the group is recomputed from the key.
 *
 * No password KDF (PBKDF2, Argon2): the secret is 160 random bits, not something a person chose, so guessing it is
 * already infeasible. RFC 5869 §4 reserves slow, salted KDFs for low-entropy inputs such as passwords ("the extract
 * step … cannot amplify entropy"); with full-entropy input HKDF alone is sound (backup.ts).
 */
import { bytesOf, concatBytes, utf8 } from './bytes.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_BYTES = 20; // 160 bits = exactly 32 symbols of 5 bits
const KEY_SYMBOLS = 32;
const GROUP = 4;

export type RecoveryKeyProblem = 'length' | 'character' | 'checksum';

export class InvalidRecoveryKeyError extends Error {
  override readonly name = 'InvalidRecoveryKeyError';
  constructor(readonly problem: RecoveryKeyProblem) {
    super(
      problem === 'checksum'
        ? 'That recovery key has a typo: check each group against your printout.'
        : problem === 'length'
          ? 'A recovery key has 9 groups of 4 characters.'
          : 'A recovery key uses only digits and the letters A–Z (without I, L, O, U).',
    );
  }
}

/** A parsed recovery key. Opaque: only backup.ts reads the secret. */
export interface RecoveryKey {
  readonly secret: Uint8Array<ArrayBuffer>;
}

function toSymbols(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return out; // 160 bits: no remainder
}

function fromSymbols(symbols: readonly number[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array((symbols.length * 5) >> 3);
  let buffer = 0;
  let bits = 0;
  let i = 0;
  for (const s of symbols) {
    buffer = (buffer << 5) | s;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (buffer >> bits) & 255;
      buffer &= (1 << bits) - 1;
    }
  }
  return out;
}

/** Luhn mod 32 check symbol: doubling every second symbol from the right, digits summed in base 32. */
function luhn32(symbols: readonly number[]): number {
  let sum = 0;
  let factor = 2;
  for (let i = symbols.length - 1; i >= 0; i--) {
    const addend = factor * (symbols[i] ?? 0);
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return (32 - (sum % 32)) % 32;
}

async function checksumSymbols(secret: Uint8Array<ArrayBuffer>, symbols: readonly number[]): Promise<number[]> {
  // SHA-256 (MDN SubtleCrypto.digest), domain-separated from every other use of the secret.
  const hash = bytesOf(await crypto.subtle.digest('SHA-256', concatBytes(utf8('alongside/recovery-checksum/v1'), secret)));
  const bits = (((hash[0] ?? 0) << 8) | (hash[1] ?? 0)) >> 1; // 15 bits
  return [luhn32(symbols), (bits >> 10) & 31, (bits >> 5) & 31, bits & 31];
}

function format(symbols: readonly number[]): string {
  const text = symbols.map((s) => ALPHABET[s]).join('');
  return (text.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? []).join('-');
}

/** A new recovery key: the text to show once, and the parsed key to derive the backup key from. */
export async function createRecoveryKey(): Promise<{ text: string; key: RecoveryKey }> {
  const secret = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return { text: await formatRecoveryKey(secret), key: { secret } };
}

/** Formats 20 secret bytes as the printable recovery key (exported for tests and fixed vectors). */
export async function formatRecoveryKey(secret: Uint8Array<ArrayBuffer>): Promise<string> {
  if (secret.length !== SECRET_BYTES) throw new RangeError(`a recovery key is ${SECRET_BYTES} bytes`);
  const symbols = toSymbols(secret);
  return format([...symbols, ...(await checksumSymbols(secret, symbols))]);
}

/**
 * Reads a recovery key as typed: spaces, dashes and case do not matter; O reads as 0 and I/L as 1.
 * Throws InvalidRecoveryKeyError (`length`, `character`, `checksum`) before anything touches the network.
 */
export async function parseRecoveryKey(text: string): Promise<RecoveryKey> {
  const compact = text
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—]/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
  const symbols = [...compact].map((c) => ALPHABET.indexOf(c));
  if (symbols.some((s) => s < 0)) throw new InvalidRecoveryKeyError('character');
  if (symbols.length !== KEY_SYMBOLS + GROUP) throw new InvalidRecoveryKeyError('length');
  const keySymbols = symbols.slice(0, KEY_SYMBOLS);
  const secret = fromSymbols(keySymbols);
  const expected = await checksumSymbols(secret, keySymbols);
  if (expected.some((s, i) => s !== symbols[KEY_SYMBOLS + i])) throw new InvalidRecoveryKeyError('checksum');
  return { secret };
}
