/**
 * Retries a D1 task that is safe to run again (idempotent by construction), with a short exponential backoff and
 * jitter. D1 retries only read-only queries itself and recommends that applications retry their idempotent writes
 * (https://developers.cloudflare.com/d1/best-practices/retry-queries). Throws the last error when every attempt failed.
 */
export async function retryD1<T>(task: () => Promise<T>, opts: { attempts?: number; baseDelayMs?: number } = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const baseDelayMs = opts.baseDelayMs ?? 20;
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
    try {
      return await task();
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
