import type { TestProject } from 'vitest/node';
import { startStack } from './stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { workerUrl: string; codes: { admin: string; mentor: string; mentee: string }; persistTo: string };
  }
}

/** One shared stack for e2e files that do not need to stop the server (the extension test starts its own). */
export default async function setup(project: TestProject) {
  // E2E_SHARED_PORT: several checkouts on one machine can run their e2e suites side by side.
  const stack = await startStack('shared', Number(process.env.E2E_SHARED_PORT ?? 8790));
  project.provide('e2e', { workerUrl: stack.worker.url, codes: stack.codes, persistTo: stack.persistTo });
  return () => stack.stop();
}
