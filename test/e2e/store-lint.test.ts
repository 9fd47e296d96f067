import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROOT } from '../../worker/dev/local.ts';

/**
 * The stores' own checks on the Firefox build (issue 12): Mozilla's addons-linter, as AMO runs it on submission, and
 * `web-ext lint` (the same linter through web-ext's defaults). Both must report 0 errors, 0 warnings and 0 notices.
 * Run through their CLIs with `--output json` (addons-linter README; web-ext docs, `web-ext lint --output json`),
 * in parallel, on the folder `npm run build` produced.
 */
const FIREFOX_DIR = join(ROOT, 'extension/.output/firefox-mv3');

const Finding = z.object({ code: z.string(), message: z.string(), file: z.string().optional(), line: z.number().optional() }).loose();
const Report = z.object({
  summary: z.object({ errors: z.number(), warnings: z.number(), notices: z.number() }),
  errors: z.array(Finding),
  warnings: z.array(Finding),
  notices: z.array(Finding),
});
type Report = z.infer<typeof Report>;

const run = promisify(execFile);

async function lint(bin: string, args: string[]): Promise<Report> {
  // Both exit non-zero when they find errors; the JSON report is on stdout either way.
  const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules', bin), ...args], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, // web-ext would otherwise look for a newer release online
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  // web-ext prints a line before its JSON in some versions: parse from the first brace.
  return Report.parse(JSON.parse(stdout.slice(stdout.indexOf('{'))));
}

function describeFindings(report: Report): string {
  return [...report.errors, ...report.warnings, ...report.notices].map((f) => `${f.code} ${f.file ?? ''}${f.line ? `:${f.line}` : ''} ${f.message}`).join('\n');
}

describe('store checks on the Firefox build', () => {
  it('addons-linter and web-ext lint report no errors, warnings or notices', { timeout: 60_000 }, async () => {
    const [addonsLinter, webExt] = await Promise.all([
      lint('addons-linter/bin/addons-linter', ['--output', 'json', FIREFOX_DIR]),
      lint('web-ext/bin/web-ext.js', ['lint', '--no-config-discovery', '--source-dir', FIREFOX_DIR, '--output', 'json']),
    ]);
    for (const [name, report] of [['addons-linter', addonsLinter], ['web-ext lint', webExt]] as const) {
      const { errors, warnings, notices } = report.summary;
      console.log(`${name}: ${errors} errors, ${warnings} warnings, ${notices} notices`);
      expect(describeFindings(report), `${name} findings`).toBe('');
      expect(report.summary).toEqual({ errors: 0, warnings: 0, notices: 0 });
    }
  });
});
