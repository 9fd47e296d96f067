import { useState } from 'preact/hooks';
import { USER_IMPORT_COLUMNS, USER_IMPORT_MAX_BYTES, type UserImportResult } from '../../../../shared/schemas/dashboard.ts';
import { ApiFailure, api, call, idempotencyKey, toFailure } from '../api.ts';
import { saveFile } from '../components/ExportButtons.tsx';
import { ErrorMessage } from '../components/Status.tsx';

const TEMPLATE = `${USER_IMPORT_COLUMNS.join(',')}\nAmal Haddad,amal@example.org,mentee,Asia/Dubai,design,books;music,public speaking;roadmaps\n`;

/** Adds many people from a CSV file. Valid rows are created; each invalid row is listed with its problem. */
export function CsvImport({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<UserImportResult | undefined>();
  const [failure, setFailure] = useState<ApiFailure | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setResult(undefined);
    setFailure(undefined);
    if (!file) return setFailure(localFailure('Choose a CSV file first.'));
    if (file.size > USER_IMPORT_MAX_BYTES) return setFailure(localFailure(`The file is larger than ${USER_IMPORT_MAX_BYTES / 1024} KB; split it into smaller files.`));
    setBusy(true);
    try {
      const csv = await file.text();
      const imported = await call(
        // The body is the file as it is (text/csv); the typed client sends the content type the route validates.
        api.admin.users.import.$post({ header: { 'content-type': 'text/csv; charset=utf-8' } }, { headers: idempotencyKey(), init: { body: csv } }),
      );
      setResult(imported);
      if (imported.created.length) onImported();
    } catch (e) {
      setFailure(toFailure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <p class="small muted">
        Columns: <code>{USER_IMPORT_COLUMNS.join(', ')}</code>. Lists (skills, interests, goals) are separated by semicolons. The first row
        is the header.{' '}
        <button type="button" class="link" onClick={() => saveFile(new Blob([TEMPLATE], { type: 'text/csv' }), 'alongside-people-template.csv')}>
          Download a template
        </button>
      </p>
      <div class="field">
        <label for="csv-file">CSV file</label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            setFile(e.currentTarget.files?.[0]);
            setResult(undefined);
            setFailure(undefined);
          }}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy || !file} aria-busy={busy}>
          {busy && <span class="spinner" aria-hidden="true" />}
          {busy ? 'Importing…' : 'Import people'}
        </button>
      </div>
      <div aria-live="polite">
        {failure && <ErrorMessage error={failure} />}
        {result && <ImportResult result={result} />}
      </div>
    </form>
  );
}

function ImportResult({ result }: { result: UserImportResult }) {
  const { created, errors } = result;
  const rows = new Set(errors.map((e) => e.row)).size;
  return (
    <div style={{ marginTop: '1rem' }}>
      <div class={`message ${errors.length ? (created.length ? 'warning' : 'error') : 'success'}`}>
        <p>
          <strong>
            {created.length} {created.length === 1 ? 'person' : 'people'} added.
          </strong>{' '}
          {errors.length > 0 && `${rows} ${rows === 1 ? 'row was' : 'rows were'} not imported; fix ${rows === 1 ? 'it' : 'them'} and upload those rows again.`}
        </p>
      </div>
      {errors.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Rows that were not imported</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Row
                </th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e, i) => (
                <tr key={i}>
                  <td class="num">{e.row}</td>
                  <td>{e.field ?? '—'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function localFailure(message: string): ApiFailure {
  return new ApiFailure(0, 'invalid_input', message);
}
