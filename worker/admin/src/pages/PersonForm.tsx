import { useMemo, useState } from 'preact/hooks';
import type { Role } from '../../../../shared/schemas/common.ts';
import type { User } from '../../../../shared/schemas/people.ts';
import { type ApiFailure, type FieldErrors, api, call, idempotencyKey, toFailure } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage } from '../components/Status.tsx';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const toMinute = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const splitTags = (text: string) =>
  text
    .split(/[,;\n]/)
    .map((t) => t.trim())
    .filter(Boolean);

const FIELDS = new Set(['role', 'name', 'email', 'timeZone', 'workingHours', 'skills', 'interests', 'goals', 'capacity']);

const empty = { role: 'mentee' as Role, name: '', email: '', timeZone: browserZone, start: '09:00', end: '17:00', skills: '', interests: '', goals: '', capacity: '3' };

/** Adds one person. The API validates; its `issues` are shown next to the fields they concern. */
export function PersonForm({ onCreated }: { onCreated: (user: User) => void }) {
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);
  // One key per person being added: a double submit or a retry after a lost answer creates them once.
  const [key, setKey] = useState(idempotencyKey);
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);

  const fieldCount = Object.keys(errors).filter((k) => FIELDS.has(k)).length;
  const set = (field: keyof typeof empty) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [field]: e.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    setErrors({});
    try {
      const json = {
        role: form.role,
        name: form.name,
        email: form.email.trim(),
        timeZone: form.timeZone.trim(),
        workingHours: { startMinute: toMinute(form.start), endMinute: toMinute(form.end) || 1440 },
        skills: splitTags(form.skills),
        interests: splitTags(form.interests),
        goals: splitTags(form.goals),
        ...(form.role === 'mentor' ? { capacity: Number(form.capacity) } : {}),
      };
      const { user } = await call(api.admin.users.$post({ json }, { headers: key }));
      setForm({ ...empty, role: form.role, timeZone: form.timeZone });
      setKey(idempotencyKey());
      onCreated(user);
    } catch (e) {
      const error = toFailure(e);
      const byField = error.fieldErrors();
      setErrors(byField);
      setFailure(error);
      // Focus the first field with a problem so keyboard and screen-reader users land on it.
      const first = Object.keys(byField)[0];
      if (first) document.getElementById(`person-${first === 'workingHours' ? 'start' : first}`)?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-person-title">
      {failure &&
        (fieldCount > 0 ? (
          <div class="message error" role="alert">
            <p>
              <strong>Not added.</strong> {failure.status === 409 ? failure.message : `Fix the ${plural(fieldCount, 'highlighted field')} below.`}
            </p>
          </div>
        ) : (
          <ErrorMessage error={failure} />
        ))}
      <div class="form-grid">
        <Field id="person-role" label="Role" error={errors.role}>
          {(aria) => (
            <select {...aria} value={form.role} onChange={set('role')}>
              <option value="mentee">Mentee</option>
              <option value="mentor">Mentor</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        <Field id="person-name" label="Name" error={errors.name}>
          {(aria) => <input {...aria} type="text" autoComplete="off" value={form.name} onInput={set('name')} required />}
        </Field>
        <Field id="person-email" label="Email" error={errors.email}>
          {(aria) => <input {...aria} type="email" autoComplete="off" value={form.email} onInput={set('email')} required />}
        </Field>
        <Field id="person-timeZone" label="Time zone" error={errors.timeZone} hint="IANA name, e.g. Europe/Lisbon">
          {(aria) => (
            <>
              <input {...aria} type="text" list="time-zones" autoComplete="off" value={form.timeZone} onInput={set('timeZone')} />
              <datalist id="time-zones">
                {zones.map((z) => (
                  <option value={z} key={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field id="person-start" label="Working hours start" error={errors.workingHours} hint="In their own time zone">
          {(aria) => <input {...aria} type="time" value={form.start} onInput={set('start')} />}
        </Field>
        <Field id="person-end" label="Working hours end">
          {(aria) => <input {...aria} type="time" value={form.end} onInput={set('end')} />}
        </Field>
        {form.role !== 'admin' && (
          <>
            <Field id="person-skills" label="Skills" error={errors.skills} hint="Separated by commas">
              {(aria) => <input {...aria} type="text" value={form.skills} onInput={set('skills')} />}
            </Field>
            <Field id="person-interests" label="Interests" error={errors.interests} hint="Separated by commas">
              {(aria) => <input {...aria} type="text" value={form.interests} onInput={set('interests')} />}
            </Field>
            {form.role === 'mentee' && (
              <Field id="person-goals" label="Goals" error={errors.goals} hint="What they want to grow in, separated by commas">
                {(aria) => <input {...aria} type="text" value={form.goals} onInput={set('goals')} />}
              </Field>
            )}
            {form.role === 'mentor' && (
              <Field id="person-capacity" label="Capacity" error={errors.capacity} hint="How many mentees at once">
                {(aria) => <input {...aria} type="number" min={0} max={50} value={form.capacity} onInput={set('capacity')} />}
              </Field>
            )}
          </>
        )}
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy && <span class="spinner" aria-hidden="true" />}
          {busy ? 'Adding…' : 'Add person'}
        </button>
      </div>
    </form>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
