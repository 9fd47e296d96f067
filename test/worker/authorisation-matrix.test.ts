/**
 * Authorisation matrix (issue 8): every route of the worker's route table × every kind of caller, each with its
 * expected outcome (route-table.ts). Real requests to the worker entry point against the local D1, with ids of
 * real seeded resources, so a refusal is about who calls and never about a missing row. A refused request must
 * also leave the database as it was. A route without an entry fails, and so does an entry without a route.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorEnvelope } from '../../shared/schemas/index.ts';
import { createApp } from '../../worker/app.ts';
import { type Outcome, ROUTE_SPECS, appRoutes, expectedOutcomes, renderRequest } from './route-table.ts';
import type { AppRoute } from './route-table.ts';
import { CALLERS, CALLER_LABEL, type Caller, type World, changedTables, dbFingerprint, seedWorld, send } from './world.ts';

const routes = appRoutes(createApp());
const routeKeys = new Set(routes.map((r) => r.key));
const checked = { routes: 0, checks: 0, allowed2xx: 0, allowed4xx: 0, refused: 0 };

type Rendered = ReturnType<typeof renderRequest>;

const CODE_BY_STATUS: Partial<Record<Outcome, string>> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 400: 'invalid_input' };

/**
 * Sends the route's request as one caller; returns a problem, or null when the outcome is as expected. A refused
 * caller must change nothing: `before` is the fingerprint of the database just before (the previous refused
 * request's `after`), and the fingerprint after is returned for the next one.
 */
async function check(
  route: AppRoute,
  rendered: Rendered,
  w: World,
  caller: Caller,
  expected: Outcome,
  before?: Record<string, string>,
): Promise<{ problem: string | null; after?: Record<string, string> }> {
  const headers: Record<string, string> = rendered.contentType ? { 'content-type': rendered.contentType } : {};
  const res = await send({ method: route.method, url: rendered.url, token: w.tokens[caller], headers, body: rendered.body });
  const text = await res.text();
  checked.checks += 1;
  const got = `${res.status} ${text.slice(0, 160)}`;
  if (expected === 'allowed') {
    if (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 404) return { problem: `expected to be allowed, got ${got}` };
    if (res.status < 400) checked.allowed2xx += 1;
    else checked.allowed4xx += 1;
    return { problem: null };
  }
  checked.refused += 1;
  const after = await dbFingerprint();
  const changed = changedTables(before ?? {}, after);
  if (changed.length) return { after, problem: `refused with ${res.status} but changed stored rows in: ${changed.join(', ')}` };
  if (res.status !== expected) return { after, problem: `expected ${expected}, got ${got}` };
  let envelope: ErrorEnvelope | undefined;
  try {
    envelope = ErrorEnvelope.parse(JSON.parse(text));
  } catch {
    return { after, problem: `expected the error envelope with ${expected}, got ${got}` };
  }
  if (envelope.error.code !== CODE_BY_STATUS[expected]) return { after, problem: `expected code ${CODE_BY_STATUS[expected]}, got ${envelope.error.code}` };
  return { after, problem: null };
}

describe('authorisation matrix', () => {
  it('every route of the app has a matrix entry', () => {
    const missing = routes.filter((r) => !ROUTE_SPECS[r.key]).map((r) => `route ${r.key} has no matrix entry (test/worker/route-table.ts)`);
    expect(missing).toEqual([]);
  });

  it('every matrix entry is a route of the app (entries marked pending are listed, not failed)', () => {
    const absent = Object.entries(ROUTE_SPECS).filter(([key]) => !routeKeys.has(key));
    const stale = absent.filter(([, spec]) => !spec.pending).map(([key]) => `matrix entry ${key} is not a route of the app any more`);
    const pending = absent.filter(([, spec]) => spec.pending).map(([key, spec]) => `${key} — ${spec.pending}`);
    if (pending.length) console.warn(`authorisation matrix: ${pending.length} pending entries not in the app yet:\n  ${pending.join('\n  ')}`);
    const nowPresent = Object.entries(ROUTE_SPECS)
      .filter(([key, spec]) => spec.pending && routeKeys.has(key))
      .map(([key]) => key);
    if (nowPresent.length) console.warn(`authorisation matrix: pending entries now in the app (checked; drop their mark):\n  ${nowPresent.join('\n  ')}`);
    expect(stale).toEqual([]);
  });

  for (const route of routes) {
    const spec = ROUTE_SPECS[route.key];
    if (!spec) continue;
    it(`${route.key}: ${CALLERS.length} callers`, async () => {
      const expected = expectedOutcomes(spec);
      const problems: string[] = [];
      // Callers that must be refused share one world (a refusal changes nothing, and that is checked). A read
      // shares it with the allowed callers too; any other allowed caller gets a world of its own, as its request
      // may change what the next caller would meet (a delete, a sign-out), and those run concurrently.
      const refusedCallers = CALLERS.filter((c) => expected[c] !== 'allowed');
      const allowedCallers = CALLERS.filter((c) => expected[c] === 'allowed');
      const shared = await seedWorld();
      const sharedRequest = renderRequest(route, await spec.request(shared));
      let fingerprint = await dbFingerprint();
      for (const caller of refusedCallers) {
        const { problem, after } = await check(route, sharedRequest, shared, caller, expected[caller], fingerprint);
        if (after) fingerprint = after;
        if (problem) problems.push(`${CALLER_LABEL[caller]}: ${problem}`);
      }
      const outcomes = await Promise.all(
        allowedCallers.map(async (caller) => {
          if (route.method === 'GET') return { caller, ...(await check(route, sharedRequest, shared, caller, 'allowed')) };
          const w = await seedWorld();
          return { caller, ...(await check(route, renderRequest(route, await spec.request(w)), w, caller, 'allowed')) };
        }),
      );
      for (const { caller, problem } of outcomes) if (problem) problems.push(`${CALLER_LABEL[caller]}: ${problem}`);
      checked.routes += 1;
      expect(problems, `${route.key}`).toEqual([]);
    });
  }

  afterAll(() => {
    console.log(
      `authorisation matrix: ${checked.routes} routes × ${CALLERS.length} callers = ${checked.checks} checks ` +
        `(${checked.refused} refused as expected or not, ${checked.allowed2xx} allowed with 2xx/3xx, ${checked.allowed4xx} allowed with a 4xx about the input)`,
    );
  });
});
