/**
 * My time zone and working hours (issue 9): what check-in times are suggested inside, saved on the server with
 * PUT /me/working-hours. A profile zone different from this computer's is pointed out with a one-click fix.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_CHECKIN_MINUTES, type WorkingHours } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
import { hhmmToMinute, minuteToHhmm, zoneName } from '../checkin-time.ts';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { errorMessage } from '../errors.ts';
import { userTimeZone } from '../format.ts';

/** Office hours until the person says otherwise (the default). */
export const DEFAULT_WORKING_HOURS: WorkingHours = { startMinute: 9 * 60, endMinute: 17 * 60 };

/** Whether this browser's Intl knows the zone. */
export function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export type WorkingHoursForm = { timeZone: string; start: string; end: string };
export type ReadWorkingHours = { timeZone: string; workingHours: WorkingHours; note: string | null } | { error: string };

/**
 * The form's values as what the server stores, or a sentence saying what is wrong. An end of 00:00 means midnight
 * (the end of the day): `<input type="time">` cannot say 24:00. Hours shorter than a check-in are allowed with a note.
 */
export function readWorkingHours(form: WorkingHoursForm): ReadWorkingHours {
  if (!form.timeZone || !isKnownZone(form.timeZone)) return { error: t('workingHours_chooseZone') };
  const start = hhmmToMinute(form.start);
  const endRaw = hhmmToMinute(form.end);
  if (start === null) return { error: t('workingHours_enterStart') };
  if (endRaw === null) return { error: t('workingHours_enterEnd') };
  const end = endRaw === 0 ? 1440 : endRaw;
  if (end <= start) return { error: t('workingHours_endBeforeStart') };
  const note = end - start < DEFAULT_CHECKIN_MINUTES ? t('workingHours_tooShort', DEFAULT_CHECKIN_MINUTES) : null;
  return { timeZone: form.timeZone, workingHours: { startMinute: start, endMinute: end }, note };
}

/** Every zone this browser knows, with `keep` in the list even if it is an alias Intl does not list. */
function zoneOptions(keep: string[]): string[] {
  const known: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, ...keep.filter(Boolean)])].sort();
}

type Loaded = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; saved: WorkingHoursForm; fromCache: boolean };
type SaveState = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done' } | { kind: 'error'; text: string };

const toForm = (timeZone: string, h: WorkingHours): WorkingHoursForm => ({
  timeZone,
  start: minuteToHhmm(h.startMinute),
  end: h.endMinute === 1440 ? '00:00' : minuteToHhmm(h.endMinute),
});

export function WorkingHoursSection() {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [form, setForm] = useState<WorkingHoursForm>(toForm(userTimeZone(), DEFAULT_WORKING_HOURS));
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const browserZone = userTimeZone();

  async function load() {
    setLoaded({ kind: 'loading' });
    try {
      const me = await ask('me.workingHours.get', {});
      // A profile zone this browser cannot use is replaced by the browser's own as the suggestion.
      const saved = toForm(isKnownZone(me.timeZone) ? me.timeZone : browserZone, me.workingHours);
      setForm(saved);
      setLoaded({ kind: 'ready', saved, fromCache: me.fromCache });
    } catch (error) {
      setLoaded({ kind: 'error', message: errorMessage(error) });
    }
  }
  useEffect(() => {
    void load();
  }, []);

  if (loaded.kind === 'loading') return <Section><Loading label={t('workingHours_loading')} /></Section>;
  if (loaded.kind === 'error') return <Section><ErrorBox message={loaded.message} onRetry={() => void load()} /></Section>;

  const read = readWorkingHours(form);
  const changed = form.timeZone !== loaded.saved.timeZone || form.start !== loaded.saved.start || form.end !== loaded.saved.end;
  const edit = (patch: Partial<WorkingHoursForm>) => {
    setForm((previous) => ({ ...previous, ...patch }));
    setSave({ kind: 'idle' });
  };

  async function submit(event: Event) {
    event.preventDefault();
    if ('error' in read) {
      setSave({ kind: 'error', text: read.error });
      return;
    }
    setSave({ kind: 'busy' });
    try {
      const stored = await ask('me.workingHours.set', { timeZone: read.timeZone, workingHours: read.workingHours });
      const saved = toForm(stored.timeZone, stored.workingHours);
      setForm(saved);
      setLoaded({ kind: 'ready', saved, fromCache: false });
      setSave({ kind: 'done' });
    } catch (error) {
      setSave({ kind: 'error', text: t('workingHours_notSaved', errorMessage(error)) });
    }
  }

  return (
    <Section>
      {loaded.fromCache && (
        <p class="banner" role="status">
          {t('workingHours_offline')}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label class="field">
          <span class="field-label">{t('workingHours_zoneLabel')}</span>
          <select value={form.timeZone} onChange={(e) => edit({ timeZone: e.currentTarget.value })}>
            {zoneOptions([form.timeZone, browserZone]).map((zone) => (
              <option key={zone} value={zone}>
                {zoneName(zone)}
              </option>
            ))}
          </select>
        </label>
        {form.timeZone !== browserZone && (
          <p class="hint">
            {t('workingHours_computerZone', zoneName(browserZone))}{' '}
            <button type="button" class="link" onClick={() => edit({ timeZone: browserZone })}>
              {t('workingHours_useZone', zoneName(browserZone))}
            </button>
          </p>
        )}
        <div class="field-row">
          <label class="field">
            <span class="field-label">{t('workingHours_startLabel')}</span>
            <input type="time" value={form.start} step={900} onInput={(e) => edit({ start: e.currentTarget.value })} aria-invalid={'error' in read} />
          </label>
          <label class="field">
            <span class="field-label">{t('workingHours_endLabel')}</span>
            <input type="time" value={form.end} step={900} onInput={(e) => edit({ end: e.currentTarget.value })} aria-invalid={'error' in read} />
          </label>
        </div>
        <p class="hint">
          {'error' in read ? read.error : (read.note ?? t('workingHours_hint'))}
        </p>
        <div class="row-actions">
          <button type="submit" class="primary" disabled={save.kind === 'busy' || !changed || loaded.fromCache}>
            {save.kind === 'busy' ? t('workingHours_saving') : t('workingHours_save')}
          </button>
        </div>
      </form>
      <p class={`state-line ${save.kind === 'error' ? 'error' : 'muted'}`} role="status" aria-live="polite">
        {save.kind === 'done' ? t('workingHours_saved') : save.kind === 'error' ? save.text : ''}
      </p>
    </Section>
  );
}

function Section({ children }: { children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby="working-hours-title">
      <h2 id="working-hours-title" class="section-title">
        {t('workingHours_title')}
      </h2>
      {children}
    </section>
  );
}
