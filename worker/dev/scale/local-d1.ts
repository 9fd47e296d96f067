/**
 * Writes the scale programme (programme.ts) straight into the SQLite file behind a local D1 (`wrangler dev
 * --persist-to <dir>`), with Node's built-in SQLite (node:sqlite, Node 22). Going through `wrangler d1 execute`
 * would mean hundreds of megabytes of SQL text; this takes a minute or two for a million entries.
 *
 * The file must exist and be migrated first (`wrangler d1 migrations apply --local --persist-to <dir>`), and no
 * `wrangler dev` may have it open while we write.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { COLUMNS, type ProgrammeOptions, type Table, type Value, generateProgramme } from './programme.ts';

/** Where miniflare keeps a local D1 database under a persist directory (one database per binding). */
export function d1SqliteFile(persistTo: string): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`Expected one D1 database in ${dir}, found ${files.length}: apply the migrations first`);
  return join(dir, files[0] as string);
}

/**
 * The backfill sections of the rollup migrations (issue 11: 0011_rollups.sql, 0012_pair_meeting_times.sql,
 * 0013_pair_goal_summary.sql, 0014_meeting_times_hex.sql, which writes pair_meeting_times again in its later form), in order: they rebuild org_day_rollups, pair_week_rollups, pair_rollups and pair_meeting_times from the raw rows. The
 * seed writes with the rollup triggers dropped (a million entries each firing upserts would be much slower than one
 * GROUP BY), then runs these, so the rollups are exactly what the triggers keep.
 */
export function rollupBackfillSql(): string {
  return ['0011_rollups.sql', '0012_pair_meeting_times.sql', '0013_pair_goal_summary.sql', '0014_meeting_times_hex.sql']
    .map((name) => {
      const migration = readFileSync(new URL(`../../migrations/${name}`, import.meta.url), 'utf8');
      const match = /-- backfill:begin\n([\s\S]*?)-- backfill:end/.exec(migration);
      if (!match?.[1]) throw new Error(`${name} has no backfill section`);
      return match[1];
    })
    .join('\n');
}

export interface SeedStats {
  rows: Record<Table, number>;
  seconds: number;
  /** Size of the database file afterwards, in bytes. */
  bytes: number;
}

/**
 * Inserts the whole programme in one transaction. Secondary indexes of the seeded tables are dropped first and made
 * again from their own CREATE INDEX text afterwards (building an index once is much faster than keeping it up to date
 * through a million random inserts); the database ends with exactly the indexes the migrations made. The rollup
 * triggers are dropped likewise, and the rollups filled afterwards by the migration's own backfill.
 */
export function writeProgramme(file: string, options: ProgrammeOptions, progress: (line: string) => void = () => undefined): SeedStats {
  const started = performance.now();
  const db = new DatabaseSync(file);
  try {
    // Rebuilt from scratch on failure, so no journal is needed while seeding; miniflare's WAL mode is put back.
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;');
    const tables = Object.keys(COLUMNS) as Table[];
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`)
      .all(...tables) as { name: string; sql: string }[];
    const statements = new Map<Table, StatementSync>();
    for (const table of tables) {
      const columns = COLUMNS[table];
      statements.set(table, db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`));
    }
    const rows = Object.fromEntries(tables.map((t) => [t, 0])) as Record<Table, number>;
    const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rollup\\_%' ESCAPE '\\'`).all() as {
      name: string;
      sql: string;
    }[];
    db.exec('BEGIN');
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
    let lastReport = performance.now();
    generateProgramme(options, (table: Table, row: Value[]) => {
      (statements.get(table) as StatementSync).run(...row);
      rows[table]++;
      if (table === 'entries' && rows.entries % 50_000 === 0 && performance.now() - lastReport > 5_000) {
        lastReport = performance.now();
        progress(`  ${rows.entries.toLocaleString('en')} entries…`);
      }
    });
    progress(`  rows written in ${((performance.now() - started) / 1000).toFixed(0)} s; building ${indexes.length} indexes`);
    for (const index of indexes) db.exec(index.sql);
    progress('  filling the rollups');
    db.exec(rollupBackfillSql());
    for (const trigger of triggers) db.exec(trigger.sql);
    db.exec('COMMIT');
    db.exec('PRAGMA journal_mode = WAL');
    const { page_count: pages, page_size: pageSize } = {
      ...(db.prepare('PRAGMA page_count').get() as { page_count: number }),
      ...(db.prepare('PRAGMA page_size').get() as { page_size: number }),
    };
    return { rows, seconds: (performance.now() - started) / 1000, bytes: pages * pageSize };
  } finally {
    db.close();
  }
}

/**
 * Signs people in as the worker does, without an invitation: a random bearer token per person, stored only as its
 * SHA-256 (the same rows test/worker/helpers.ts's seedUser and the dashboard bench write). Returns the tokens.
 */
export function createSessions(file: string, userIds: readonly string[], orgId: string, days = 2): Map<string, string> {
  const db = new DatabaseSync(file);
  const tokens = new Map<string, string>();
  try {
    const insert = db.prepare('INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    const now = new Date();
    db.exec('BEGIN');
    for (const id of userIds) {
      const token = randomBytes(32).toString('base64url');
      insert.run(createHash('sha256').update(token).digest('hex'), id, orgId, now.toISOString(), new Date(now.getTime() + days * 86_400_000).toISOString());
      tokens.set(id, token);
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  return tokens;
}

/** Rows of a read-only query on the local D1 file (no wrangler running). */
export function queryLocalD1<T>(file: string, sql: string, ...params: Value[]): T[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
