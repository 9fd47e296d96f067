/**
 * The people CSV of the admin import: parsing (papaparse: quoting, embedded commas and line breaks, BOM) and
 * per-row validation with the same schema as adding one person. Pure: the worker checks emails against the
 * database and writes the valid rows.
 */
import Papa from 'papaparse';
import type { z } from 'zod';
import { NewUser } from '../schemas/people.ts';
import { USER_IMPORT_COLUMNS, type UserImportError } from '../schemas/dashboard.ts';

export const REQUIRED_IMPORT_COLUMNS = ['name', 'email', 'role', 'timeZone'] as const;
/** More rows than any 64 KB file of real people holds; keeps one import to a bounded batch. */
export const MAX_IMPORT_ROWS = 2000;

export interface ParsedUserRow {
  /** Spreadsheet row number (header = 1). */
  row: number;
  input: z.output<typeof NewUser>;
}

export type ParsedUserCsv =
  | { ok: true; rows: ParsedUserRow[]; errors: UserImportError[] }
  | { ok: false; message: string };

const list = (cell: string | undefined) =>
  (cell ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

const FIELD_MESSAGES: Record<string, (value: string) => string> = {
  role: (v) => `Unknown role "${v}": use mentor, mentee or admin`,
  timeZone: (v) => `Unknown time zone "${v}": use an IANA name such as Europe/Lisbon`,
  email: (v) => (v ? `"${v}" is not an email address` : 'Email is missing'),
  name: (v) => (v ? 'Name is too long (200 characters at most)' : 'Name is missing'),
};

/**
 * Parses and validates the CSV. A file-level problem (no header, a missing or unknown column, no rows, too many
 * rows) fails the whole file; a row-level problem is reported against its row, and a later row repeating an
 * email (any case) of an earlier one is an error on the later row.
 */
export function parseUserCsv(text: string): ParsedUserCsv {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  });
  const headers = parsed.meta.fields ?? [];
  const missing = REQUIRED_IMPORT_COLUMNS.filter((c) => !headers.includes(c));
  if (missing.length) {
    return { ok: false, message: `Missing column${missing.length === 1 ? '' : 's'}: ${missing.join(', ')} (expected ${USER_IMPORT_COLUMNS.join(',')})` };
  }
  const unknown = headers.filter((h) => !(USER_IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) return { ok: false, message: `Unknown column${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}` };
  if (!parsed.data.length) return { ok: false, message: 'The file has no people in it, only a header' };
  if (parsed.data.length > MAX_IMPORT_ROWS) return { ok: false, message: `At most ${MAX_IMPORT_ROWS} people per file` };

  // papaparse reports a wrong number of fields per row (0-based data index).
  const shapeErrors = new Map<number, string>();
  for (const e of parsed.errors) {
    if (e.row !== undefined && !shapeErrors.has(e.row)) shapeErrors.set(e.row, e.message);
  }

  const rows: ParsedUserRow[] = [];
  const errors: UserImportError[] = [];
  const firstRowOfEmail = new Map<string, number>();
  parsed.data.forEach((record, index) => {
    const row = index + 2;
    const shape = shapeErrors.get(index);
    if (shape) {
      errors.push({ row, message: `Malformed row: ${shape}` });
      return;
    }
    const cell = (k: string) => (record[k] ?? '').trim();
    const result = NewUser.safeParse({
      name: cell('name'),
      email: cell('email'),
      role: cell('role').toLowerCase(),
      timeZone: cell('timeZone'),
      skills: list(record.skills),
      interests: list(record.interests),
      goals: list(record.goals),
    });
    if (!result.success) {
      const seen = new Set<string>();
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? '');
        if (seen.has(field)) continue;
        seen.add(field);
        const custom = FIELD_MESSAGES[field];
        errors.push({ row, ...(field ? { field } : {}), message: custom ? custom(cell(field)) : `${field}: ${issue.message}` });
      }
      return;
    }
    const email = result.data.email.toLowerCase();
    const first = firstRowOfEmail.get(email);
    if (first !== undefined) {
      errors.push({ row, field: 'email', message: `Same email as row ${first}` });
      return;
    }
    firstRowOfEmail.set(email, row);
    rows.push({ row, input: result.data });
  });
  return { ok: true, rows, errors };
}
