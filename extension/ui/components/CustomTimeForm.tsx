// "Another time": a date and time on my clock, shown at once on my partner's, with a note when it falls outside
// either person's working hours (allowed: the partner decides), then proposed.
import { useState } from 'preact/hooks';
import { DEFAULT_CHECKIN_MINUTES, type Person } from '../../../shared/schemas/index.ts';
import { t, tCount } from '../../lib/i18n.ts';
import { bothClocks, insideWorkingHours, minuteToHhmm, zoneName, zonedToUtc } from '../checkin-time.ts';
import { firstName, todayIn } from '../format.ts';

const DURATIONS = [30, 45, 60, 90] as const;

export type CustomTime = { startsAt: string; notes: string[] } | { error: string };

/** The instant a typed date and time name on my clock, or why it cannot be proposed; notes that do not block. */
export function readCustomTime(input: { date: string; time: string; durationMinutes: number; me: Person; partner: Person; now: number }): CustomTime {
  const { date, time, durationMinutes, me, partner, now } = input;
  if (!date || !time) return { error: t('customTimeForm_missing') };
  const startsAt = zonedToUtc(date, time, me.timeZone);
  if (!startsAt) return { error: t('customTimeForm_invalid') };
  if (Date.parse(startsAt) <= now) return { error: t('customTimeForm_past') };
  const notes: string[] = [];
  if (!insideWorkingHours(startsAt, durationMinutes, me)) {
    notes.push(t('customTimeForm_outsideMine', minuteToHhmm(me.workingHours.startMinute), minuteToHhmm(me.workingHours.endMinute)));
  }
  if (!insideWorkingHours(startsAt, durationMinutes, partner)) {
    notes.push(
      t(
        'customTimeForm_outsidePartner',
        firstName(partner.name),
        minuteToHhmm(partner.workingHours.startMinute),
        minuteToHhmm(partner.workingHours.endMinute),
        zoneName(partner.timeZone),
      ),
    );
  }
  return { startsAt, notes };
}

export function CustomTimeForm({
  me,
  partner,
  now,
  busy,
  disabled,
  onPropose,
}: {
  me: Person;
  partner: Person;
  now: number;
  busy: boolean;
  disabled: boolean;
  onPropose: (startsAt: string, durationMinutes: number) => Promise<boolean>;
}) {
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [duration, setDuration] = useState<number>(DEFAULT_CHECKIN_MINUTES);
  const [tried, setTried] = useState(false);
  const read = readCustomTime({ date, time, durationMinutes: duration, me, partner, now });
  const who = firstName(partner.name);
  const touched = date !== '' && time !== '';

  async function submit(event: Event) {
    event.preventDefault();
    setTried(true);
    if ('error' in read) return;
    if (await onPropose(read.startsAt, duration)) {
      setDate('');
      setTime('');
      setTried(false);
    }
  }

  const showError = 'error' in read && (tried || touched);
  return (
    <form class="custom-time" onSubmit={submit} noValidate aria-labelledby="custom-time-title">
      <h3 id="custom-time-title" class="subsection-title">
        {t('customTimeForm_title')}
      </h3>
      <div class="field-row">
        <label class="field">
          <span class="field-label">{t('customTimeForm_date')}</span>
          <input type="date" value={date} min={todayIn(me.timeZone, now)} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('customTimeForm_time', zoneName(me.timeZone))}</span>
          <input type="time" value={time} step={300} onInput={(e) => setTime(e.currentTarget.value)} aria-describedby="custom-time-preview" />
        </label>
        <label class="field">
          <span class="field-label">{t('customTimeForm_length')}</span>
          <select value={String(duration)} onChange={(e) => setDuration(Number(e.currentTarget.value))}>
            {DURATIONS.map((d) => (
              <option key={d} value={String(d)}>
                {tCount('customTimeForm_minutes', d)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div id="custom-time-preview" aria-live="polite">
        {'startsAt' in read && (
          <>
            <p class="muted">
              {t('customTimeForm_preview', bothClocks(read.startsAt, me, partner, now).theirs, who, zoneName(partner.timeZone))}
            </p>
            {read.notes.map((note) => (
              <p key={note} class="hint warn">
                {note}
              </p>
            ))}
          </>
        )}
        {showError && 'error' in read && <p class="error">{read.error}</p>}
      </div>
      <button type="submit" class="small" disabled={disabled || busy}>
        {busy ? t('customTimeForm_proposing') : t('customTimeForm_propose')}
      </button>
    </form>
  );
}
