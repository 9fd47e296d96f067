import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoInvitations, demoProgrammeSql } from '../../worker/dev/seed.ts';
import { ROOT, type RunningWorker, applyMigrations, executeSql, startWorker } from '../../worker/dev/local.ts';

export interface Stack {
  worker: RunningWorker;
  persistTo: string;
  port: number;
  /** Single-use sign-in codes for the demo admin, mentor and mentee. */
  codes: { admin: string; mentor: string; mentee: string };
  /** Stops the worker (the database stays) — to simulate the server going down mid-call. */
  stopWorker(): Promise<void>;
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** A real `wrangler dev` on its own port and local D1, migrated and seeded with the demo programme. */
export async function startStack(name: string, port: number): Promise<Stack> {
  const persistTo = join(ROOT, '.wrangler', `e2e-${name}`);
  rmSync(persistTo, { recursive: true, force: true });
  await applyMigrations(persistTo);
  const invitations = demoInvitations();
  await executeSql(`${demoProgrammeSql()}\n${invitations.sql}`, persistTo);
  const stack: Stack = {
    worker: await startWorker({ port, persistTo, quiet: true }),
    persistTo,
    port,
    codes: invitations.codes,
    async stopWorker() {
      await stack.worker.stop();
    },
    async restartWorker() {
      stack.worker = await startWorker({ port, persistTo, quiet: true });
    },
    async stop() {
      await stack.worker.stop();
    },
  };
  return stack;
}
