export type SortDir = 'asc' | 'desc';

interface SortHeaderProps {
  label: string;
  column: string;
  sort: { column: string; dir: SortDir };
  onSort: (column: string) => void;
  numeric?: boolean;
  class?: string;
}

/** A column header that sorts the table; announces its state with aria-sort. */
export function SortHeader({ label, column, sort, onSort, numeric, class: className }: SortHeaderProps) {
  const active = sort.column === column;
  const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort} class={[numeric ? 'num' : '', className ?? ''].join(' ').trim() || undefined}>
      <button type="button" class="sort" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true">{active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}

/** Parses "column" / "-column" (descending) from the URL. */
export function parseSort(value: string): { column: string; dir: SortDir } {
  return value.startsWith('-') ? { column: value.slice(1), dir: 'desc' } : { column: value, dir: 'asc' };
}

/** Clicking the sorted column flips it; another column sorts ascending. */
export function nextSort(current: { column: string; dir: SortDir }, column: string): string {
  if (current.column === column) return current.dir === 'asc' ? `-${column}` : column;
  return column;
}

export function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // empty values last
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}
