/**
 * The bearer token lives in the extension origin's IndexedDB, which only extension pages and the background can
 * open; browser.storage.local would also be readable by our content scripts on call pages.
 */
const DB_NAME = 'alongside-secrets';
const STORE = 'secrets';
const TOKEN_KEY = 'api-token';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = action(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

let cached: string | null | undefined;

export async function getToken(): Promise<string | null> {
  if (cached === undefined) {
    const value = await run<unknown>('readonly', (s) => s.get(TOKEN_KEY));
    cached = typeof value === 'string' ? value : null;
  }
  return cached;
}

export async function setToken(token: string | null): Promise<void> {
  await run('readwrite', (s) => (token === null ? s.delete(TOKEN_KEY) : s.put(token, TOKEN_KEY)));
  cached = token;
}
