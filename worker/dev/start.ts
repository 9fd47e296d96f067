/**
 * `npm start`: migrations, demo programme, extension build, then the worker on http://127.0.0.1:8787.
 * Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoInvitations, demoProgrammeSql } from './seed.ts';
import { ROOT, applyMigrations, executeSql, run, startWorker } from './local.ts';

const PORT = 8787;
const step = (text: string) => console.log(`\n▸ ${text}`);

async function main() {
  step('Applying D1 migrations to the local database (.wrangler/state)');
  await applyMigrations();

  step('Seeding the demo programme (idempotent)');
  const invitations = demoInvitations();
  await executeSql(`${demoProgrammeSql()}\n${invitations.sql}`);

  step('Building the extension and the admin view');
  await run('npm', ['run', '--silent', 'build'], { quiet: true });

  step(`Starting the worker on http://127.0.0.1:${PORT}`);
  const worker = await startWorker({ port: PORT, quiet: true });
  worker.process.stdout?.on('data', (d: Buffer) => process.stdout.write(d));
  worker.process.stderr?.on('data', (d: Buffer) => process.stderr.write(d));

  const extensionDir = join(ROOT, 'extension/.output/chrome-mv3');
  const link = (code: string) => `${worker.url}/invite/${code}`;
  console.log(`
Alongside is running.

  API          ${worker.url}/api/v1
  Admin view   ${worker.url}/admin/

  Sign-in links (single use, valid 14 days; a new start prints new ones):
    admin   Ada Admin     ${link(invitations.codes.admin)}
    mentor  Maya Mentor   ${link(invitations.codes.mentor)}
    mentee  Theo Mentee   ${link(invitations.codes.mentee)}

  Extension    load ${existsSync(extensionDir) ? extensionDir : `${extensionDir} (not built)`} as an unpacked extension
               (chrome://extensions → Developer mode → Load unpacked), then paste a member link in its options.
               Try it on https://meet.google.com/abc-defg-hij (the demo pair's meeting link).

Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await worker.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  worker.process.on('exit', (code) => {
    if (!stopping) {
      console.error(`The worker stopped unexpectedly (exit ${code}).`);
      process.exit(1);
    }
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
