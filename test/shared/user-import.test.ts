import { describe, expect, it } from 'vitest';
import { parseUserCsv } from '../../shared/domain/user-import.ts';

describe('parseUserCsv', () => {
  it('parses quoted cells, lists, a BOM, CRLF and blank lines', () => {
    const csv = '\uFEFFname,email,role,timeZone,skills,interests,goals\r\n"Lima, Ana",Ana@Example.org,MENTEE,America/Sao_Paulo,,"design; climbing",public speaking\r\n\r\n';
    const r = parseUserCsv(csv);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({
      row: 2,
      input: { name: 'Lima, Ana', email: 'Ana@Example.org', role: 'mentee', timeZone: 'America/Sao_Paulo', skills: [], interests: ['design', 'climbing'], goals: ['public speaking'] },
    });
  });

  it('fails the whole file for missing or unknown columns, or no rows', () => {
    expect(parseUserCsv('name,email\nA,a@example.org')).toEqual({ ok: false, message: 'Missing columns: role, timeZone (expected name,email,role,timeZone,skills,interests,goals)' });
    expect(parseUserCsv('name,email,role,timeZone,notes\nA,a@example.org,mentee,UTC,hi')).toEqual({ ok: false, message: 'Unknown column: notes' });
    expect(parseUserCsv('name,email,role,timeZone\n')).toMatchObject({ ok: false });
    expect(parseUserCsv('')).toMatchObject({ ok: false });
  });

  it('reports each bad row with its spreadsheet row number, later duplicates included', () => {
    const r = parseUserCsv(
      ['name,email,role,timeZone', 'A,a@example.org,mentee,UTC', 'B,A@EXAMPLE.ORG,mentee,UTC', 'C,c@example.org,mentee', 'D,d@example.org,chief,Nowhere/City'].join('\n'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows.map((x) => x.row)).toEqual([2]);
    expect(r.errors).toEqual([
      { row: 3, field: 'email', message: 'Same email as row 2' },
      { row: 4, message: expect.stringMatching(/^Malformed row: /) },
      { row: 5, field: 'role', message: 'Unknown role "chief": use mentor, mentee or admin' },
      { row: 5, field: 'timeZone', message: 'Unknown time zone "Nowhere/City": use an IANA name such as Europe/Lisbon' },
    ]);
  });
});
