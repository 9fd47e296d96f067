import { accessSync, constants } from 'node:fs';

/** The Chromium the e2e tests drive: Debian's package, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why Chromium cannot be used, in one line, or null when it can. */
export function chromiumProblem(path = CHROMIUM): string | null {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return `npm test needs Chromium for its end-to-end tests and found none at ${path}: install it with \`sudo apt-get install -y chromium\`, or set CHROMIUM_PATH to a Chromium or Chrome binary.`;
  }
}
