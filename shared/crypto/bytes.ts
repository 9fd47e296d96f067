/** Small byte helpers shared by the crypto modules: randomness, UTF-8 and unambiguous labels. */

/** Cryptographically secure random bytes (`crypto.getRandomValues`, the CSPRNG every WebCrypto host provides). */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

/** Decodes UTF-8, throwing on invalid sequences instead of inserting U+FFFD: never garbage. */
export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * An unambiguous byte encoding of a list of strings, for AES-GCM additional data and HKDF info. A JSON array of
 * strings cannot be confused with another list ('a|b','c' vs 'a','b|c'), unlike joining with a separator.
 */
export function label(...parts: string[]): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(parts));
}

export function concatBytes(...chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Copies into a fresh ArrayBuffer-backed view (WebCrypto accepts ArrayBuffer views; DOM typings want ArrayBuffer). */
export function bytesOf(buffer: ArrayBuffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer);
}
