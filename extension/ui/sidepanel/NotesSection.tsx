/**
 * The pair's notes between calls, in the side panel: searchable on this device (the server holds ciphertext only,
 * issue 10), with the "End-to-end encrypted" mark once the pair's notes are sealed. Authors edit and delete here as
 * on the call; new notes are written on the call.
 */
import { useState } from 'preact/hooks';
import type { Goal, Person } from '../../../shared/schemas/index.ts';
import type { LocalEntry } from '../../lib/app-messages.ts';
import { t } from '../../lib/i18n.ts';
import { EncryptedHint } from '../components/EncryptionBanner.tsx';
import { type EntryHandlers, EntryList } from '../components/EntryList.tsx';
import type { Locks } from '../components/LockedText.tsx';
import { NoteSearch, noMatchText } from '../components/NoteSearch.tsx';
import { SyncStatusLine } from '../components/SyncBadge.tsx';
import { searchEntries } from '../entries.ts';
import { firstName } from '../format.ts';
import type { NotesStream } from '../notes-stream.ts';

export function NotesSection({
  stream,
  me,
  partner,
  goals,
  locks,
  encrypted,
  timeZone,
  onChanged,
}: {
  stream: NotesStream;
  me: Person;
  partner: Person;
  goals: Goal[];
  locks: Locks;
  /** Every note of the pair is ciphertext on the server. */
  encrypted: boolean;
  timeZone: string;
  /** An entry changed or was deleted here (its new local copy), so other lists (open actions) follow. */
  onChanged: (entry: LocalEntry) => void;
}) {
  const [query, setQuery] = useState('');
  const { entries } = stream;
  const total = entries.filter((e) => !e.deleted).length;
  const shown = searchEntries(entries, query);
  const handlers: EntryHandlers = {
    onChanged,
    onDeleted: (id) => {
      const existing = entries.find((e) => e.id === id);
      if (existing) onChanged({ ...existing, deleted: true });
    },
    onRetry: stream.retry,
  };

  return (
    <section class="notes-section" aria-labelledby="notes-title">
      <div class="section-head">
        <h2 id="notes-title" class="section-title">
          {t('notesSection_title')}
        </h2>
        {encrypted && <EncryptedHint partnerName={firstName(partner.name)} />}
      </div>
      {(total > 0 || query !== '') && <NoteSearch query={query} onQuery={setQuery} shown={shown.length} total={total} />}
      <EntryList
        entries={shown}
        me={me}
        partner={partner}
        goals={goals}
        timeZone={timeZone}
        handlers={handlers}
        locks={locks}
        emptyText={query.trim() ? noMatchText(query) : t('notesSection_empty')}
      />
      <SyncStatusLine status={stream.status} error={stream.syncError} timeZone={timeZone} onRetry={stream.retry} />
    </section>
  );
}
