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
  /**
   * Starts the worker again on the same database, with the variables it ran with; `{ vars }` replaces them from then
   * on (`{ vars: {} }`: none).
   */
  restartWorker(opts?: { vars: Record<string, string> }): Promise<void>;
  stop(): Promise<void>;
}

/** A real `wrangler dev` on its own port and local D1, migrated and seeded with the demo programme; `vars` go to `wrangler dev --var`. */
export async function startStack(name: string, port: number, opts: { vars?: Record<string, string> } = {}): Promise<Stack> {
  const persistTo = join(ROOT, '.wrangler', `e2e-${name}`);
  rmSync(persistTo, { recursive: true, force: true });
  await applyMigrations(persistTo);
  const invitations = demoInvitations();
  await executeSql(`${demoProgrammeSql()}\n${invitations.sql}`, persistTo);
  let vars = opts.vars;
  const stack: Stack = {
    worker: await startWorker({ port, persistTo, quiet: true, vars }),
    persistTo,
    port,
    codes: invitations.codes,
    async stopWorker() {
      await stack.worker.stop();
    },
    async restartWorker(opts) {
      // An explicit object, not an optional argument: `restartWorker(undefined)` meaning "keep the old vars" once
      // made the chaos suite's "healed" worker keep injecting D1 failures.
      if (opts) vars = opts.vars;
      stack.worker = await startWorker({ port, persistTo, quiet: true, vars });
    },
    async stop() {
      await stack.worker.stop();
    },
  };
  return stack;
}
