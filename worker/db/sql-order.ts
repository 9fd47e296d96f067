/**
 * SQLite's ORDER BY, done in the worker (issue 11, item 3). D1 counts a row read at every step of every cursor, the
 * sorter's included (workerd's row counter: https://github.com/cloudflare/workerd/blob/main/patches/sqlite/0001-row-counts-plain.patch),
 * so an ORDER BY that no index delivers ("USE TEMP B-TREE FOR ORDER BY") reads each row twice. The per-pair lists of
 * a call context are a few rows each: the worker sorts them instead, in the order SQLite would give.
 */

/** A column value as D1 returns it (these lists hold no BLOBs). */
export type SqlValue = null | number | string;

/**
 * BINARY collation: memcmp() of the UTF-8 bytes (https://sqlite.org/datatype3.html#collation). UTF-8 bytes order as
 * code points do; UTF-16 code units order the same way except that a surrogate (half of a code point above U+FFFF)
 * sorts below U+E000–U+FFFF, so that case is turned round.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** NULL first, then numbers by value, then text (https://sqlite.org/datatype3.html#sort_order). */
export function compareSql(a: SqlValue, b: SqlValue): number {
  const rank = (v: SqlValue) => (v === null ? 0 : typeof v === 'number' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  return 0;
}

/** One ORDER BY term: an expression of the row, ascending unless `desc`. */
export interface OrderTerm<T> {
  by: (row: T) => SqlValue;
  desc?: boolean;
}

/** `a IS NULL` as SQLite evaluates it in ORDER BY: 1 or 0. */
export const isNull = (v: unknown): number => (v === null ? 1 : 0);

/**
 * The rows in the order `ORDER BY term1, term2, …` gives. SQLite leaves the order of rows equal on every term
 * undefined (https://sqlite.org/lang_select.html#the_order_by_clause), so callers end with a unique column (the id)
 * and the order is fully determined.
 */
export function sortLikeSql<T>(rows: readonly T[], terms: readonly OrderTerm<T>[]): T[] {
  return rows.toSorted((a, b) => {
    for (const term of terms) {
      const c = compareSql(term.by(a), term.by(b));
      if (c !== 0) return term.desc ? -c : c;
    }
    return 0;
  });
}
