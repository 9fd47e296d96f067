import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from './browser.ts';

/** The content script loads on every call page; it must stay small (issue: under 30 KB gzipped). */
const CONTENT_SCRIPT_BUDGET_BYTES = 30 * 1024;

describe('bundle size', () => {
  it('keeps the call-page content script under 30 KB gzipped', () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { content_scripts: { js: string[] }[] };
    const scripts = manifest.content_scripts.flatMap((c) => c.js);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const gzipped = gzipSync(readFileSync(join(EXTENSION_DIR, script))).byteLength;
      console.log(`${script}: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
      expect(gzipped).toBeLessThan(CONTENT_SCRIPT_BUDGET_BYTES);
    }
  });
});
