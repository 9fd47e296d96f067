// Search within the pair's notes, on this device (the server only holds ciphertext, issue 10). Escape clears it.
import { useId } from 'preact/hooks';
import { t, tCount } from '../../lib/i18n.ts';

export function NoteSearch({
  query,
  onQuery,
  shown,
  total,
}: {
  query: string;
  onQuery: (query: string) => void;
  /** Entries that match, and all entries (not deleted), for "3 of 120 notes". */
  shown: number;
  total: number;
}) {
  const searching = query.trim() !== '';
  const countId = useId();
  return (
    <div class="note-search" role="search">
      <input
        type="search"
        value={query}
        placeholder={t('noteSearch_label')}
        aria-label={t('noteSearch_label')}
        aria-describedby={countId}
        autoComplete="off"
        spellcheck={false}
        onInput={(e) => onQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Escape clears the search; an empty box lets Escape through (the overlay may use it).
          if (e.key === 'Escape' && query !== '') {
            e.preventDefault();
            e.stopPropagation();
            onQuery('');
          }
        }}
      />
      {/* Always in the page, so screen readers announce the count as it changes. */}
      <span id={countId} class="note-search-count muted" role="status" aria-live="polite">
        {searching ? tCount('noteSearch_count', total, shown) : ''}
      </span>
    </div>
  );
}

/** The empty state of a search that found nothing. */
export function noMatchText(query: string): string {
  return t('noteSearch_noMatch', query.trim());
}
