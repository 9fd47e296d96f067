import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is worker/dev/local.ts). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'node_modules/.bin');

/** Local work never needs a Cloudflare account or the network. */
export const offlineEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  // npm scripts run Node 22 from node_modules/.bin; keep it first for everything we start.
  PATH: `${BIN}:${process.env.PATH ?? ''}`,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_LOG_SANITIZE: 'true',
  CI: process.env.CI ?? '1',
  NO_COLOR: '1',
});

export function run(command: string, args: string[], opts: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // Resolved on PATH, which starts with node_modules/.bin (so `wrangler` is the project's, and `npm` the system's).
    const child = spawn(command, args, { cwd: ROOT, env: offlineEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!opts.quiet) process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d;
      if (!opts.quiet) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${out}`))));
  });
}

/** `--persist-to` for a separate local database (tests use their own); undefined = the default .wrangler/state. */
const persistArgs = (persistTo?: string) => (persistTo ? ['--persist-to', persistTo] : []);

export async function applyMigrations(persistTo?: string): Promise<void> {
  await run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(persistTo)], { quiet: true });
}

export async function executeSql(sql: string, persistTo?: string): Promise<void> {
  const file = join(ROOT, '.wrangler', 'tmp', `seed-${process.pid}-${Date.now()}.sql`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sql);
  await run('wrangler', ['d1', 'execute', 'DB', '--local', '--file', file, ...persistArgs(persistTo)], { quiet: true });
}

export interface RunningWorker {
  url: string;
  process: ChildProcess;
  /** Everything wrangler and the Worker printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `wrangler dev` and resolves once the API answers. */
export async function startWorker(opts: { port: number; persistTo?: string; quiet?: boolean; vars?: Record<string, string> }): Promise<RunningWorker> {
  const url = `http://127.0.0.1:${opts.port}`;
  // Another server on the port (a wrangler left over from an interrupted run) would answer the health check below,
  // and everything would silently talk to the wrong database: refuse to start instead.
  const taken = await fetch(`${url}/api/v1/health`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`Port ${opts.port} is already in use (a wrangler dev left running?): stop it and try again`);
  // Extra variables for this run only (e.g. the chaos suite's CHAOS_D1_FAILURE_RATE): `--var key:value`, which
  // `wrangler dev` passes to the Worker's env as strings (https://developers.cloudflare.com/workers/wrangler/commands/#dev).
  const varArgs = Object.entries(opts.vars ?? {}).flatMap(([key, value]) => ['--var', `${key}:${value}`]);
  const child = spawn(
    join(BIN, 'wrangler'),
    ['dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--show-interactive-dev-session=false', ...persistArgs(opts.persistTo), ...varArgs],
    { cwd: ROOT, env: offlineEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let log = '';
  const onData = (d: Buffer) => {
    log += d;
    if (!opts.quiet) process.stdout.write(d);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.pid === undefined) return done();
      child.once('exit', () => done());
      // wrangler starts workerd as a child: signal the whole process group.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        done();
      }
      setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000).unref();
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return { url, process: child, output: () => log, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer within 60 s:\n${log}`);
}
