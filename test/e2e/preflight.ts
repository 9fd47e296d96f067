// Run first by `npm test`: without Chromium the end-to-end tests cannot run, so stop at once with one line that says
// how to fix it, rather than minutes later with Playwright's launch error.
import { chromiumProblem } from './chromium.ts';

const problem = chromiumProblem();
if (problem) {
  console.error(problem);
  process.exit(1);
}
