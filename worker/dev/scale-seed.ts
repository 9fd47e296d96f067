/**
 * The scale programme in a local D1 (issue 11, item 1): 10,000 pairs, a year of meetings, feedback, goals with
 * revisions, and 1,000,000 end-to-end encrypted entries (worker/dev/scale/programme.ts). `npm run bench` uses it;
 * run it alone to get a database to explore:
 *
 *   node worker/dev/scale-seed.ts [--quick] [--seed 11] [--today 2026-11-30] [--persist-to .wrangler/bench-scale]
 *   npx wrangler dev --persist-to .wrangler/bench-scale
 *
 * --quick makes 1,000 pairs and 100,000 entries. The same seed and day give the same database.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, applyMigrations } from './local.ts';
import { type SeedStats, d1SqliteFile, writeProgramme } from './scale/local-d1.ts';
import { FULL_SIZE, type ProgrammeOptions, QUICK_SIZE } from './scale/programme.ts';

export const DEFAULT_SEED = 11;

export interface ScaleSeedOptions {
  quick: boolean;
  seed: number;
  today: string;
  persistTo: string;
  /** Keep a database already seeded with the same options (its content may have changed since: benches write). */
  reuse?: boolean;
  log?: (line: string) => void;
}

export interface ScaleDatabase {
  options: ProgrammeOptions;
  persistTo: string;
  file: string;
  stats: SeedStats | null;
}

export const defaultPersistTo = (quick: boolean) => join(ROOT, '.wrangler', quick ? 'bench-scale-quick' : 'bench-scale');

/** Migrates a fresh local D1 under `persistTo` and writes the programme into it. */
export async function seedScaleProgramme(o: ScaleSeedOptions): Promise<ScaleDatabase> {
  const log = o.log ?? console.log;
  const options: ProgrammeOptions = { size: o.quick ? QUICK_SIZE : FULL_SIZE, seed: o.seed, today: o.today };
  const marker = join(o.persistTo, 'scale-seed.json');
  const recipe = JSON.stringify(options);
  if (o.reuse && existsSync(marker) && readFileSync(marker, 'utf8') === recipe) {
    log(`▸ Reusing the seeded database in ${relative(ROOT, o.persistTo)} (${recipe})`);
    await applyMigrations(o.persistTo);
    return { options, persistTo: o.persistTo, file: d1SqliteFile(o.persistTo), stats: null };
  }
  rmSync(o.persistTo, { recursive: true, force: true });
  log(`▸ Applying migrations to ${relative(ROOT, o.persistTo)}`);
  await applyMigrations(o.persistTo);
  const file = d1SqliteFile(o.persistTo);
  log(`▸ Seeding ${options.size.pairs.toLocaleString('en')} pairs and ${options.size.entries.toLocaleString('en')} entries (seed ${o.seed}, up to ${o.today})`);
  const stats = writeProgramme(file, options, log);
  writeFileSync(marker, recipe);
  log(
    `  seeded in ${stats.seconds.toFixed(0)} s, ${(stats.bytes / 1024 ** 2).toFixed(0)} MB: ` +
      Object.entries(stats.rows)
        .map(([t, n]) => `${n.toLocaleString('en')} ${t}`)
        .join(', '),
  );
  return { options, persistTo: o.persistTo, file, stats };
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);

// Run directly: seed and say how to serve it.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, seed: { type: 'string' }, today: { type: 'string' }, 'persist-to': { type: 'string' } },
  });
  const quick = values.quick ?? false;
  const persistTo = values['persist-to'] ? join(process.cwd(), values['persist-to']) : defaultPersistTo(quick);
  seedScaleProgramme({ quick, seed: Number(values.seed ?? DEFAULT_SEED), today: values.today ?? todayUtc(), persistTo })
    .then(() => console.log(`\nServe it with: npx wrangler dev --persist-to ${relative(process.cwd(), persistTo)}`))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
