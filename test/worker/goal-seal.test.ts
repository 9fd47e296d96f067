/**
 * `POST /goals/:id/seal` (issue 10): an encrypted pair's goal, milestones and history are sealed in place, with no
 * new revision and one version step; plain text, another goal's parts, a stale version, a pair not encrypted yet and
 * people who may not edit the goal are refused with nothing changed. Real keys from the crypto core (workerd has
 * WebCrypto), real local D1.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDeviceKeyPair, createSymmetricKey, open, seal, type SymmetricKey } from '../../shared/crypto/index.ts';
import { type Programme, call, createGoalViaApi, createMilestoneViaApi, expectError, expectJson, seedProgramme, uuid } from './helpers.ts';

const FIELDS = ['title', 'specific', 'measure', 'target', 'relevance'] as const;

async function encrypt(p: Programme): Promise<SymmetricKey> {
  const devices = [];
  for (const user of [p.mentor, p.mentee]) {
    const device = await createDeviceKeyPair();
    await expectJson(await call('POST', '/api/v1/me/devices', { token: user.token, body: { publicKeySpki: device.publicKeySpki, id: device.deviceKeyId } }), 201);
    devices.push(device);
  }
  const created = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: devices[0]!, recipients: devices.map((d) => d.publicKeySpki) });
  await expectJson(await call('POST', `/api/v1/pairs/${p.pairId}/keys`, { token: p.mentor.token, body: { records: created.wrapped }, headers: { 'idempotency-key': uuid() } }), 200);
  return created.key;
}

type Row = { title: string; specific: string; version: number };
const goalRow = (id: string) => env.DB.prepare('SELECT title, specific, version FROM goals WHERE id = ?').bind(id).first<Row>();
const revisionRows = (goalId: string) =>
  env.DB.prepare('SELECT id, note, snapshot FROM goal_revisions WHERE goal_id = ? ORDER BY version').bind(goalId).all<{ id: string; note: string; snapshot: string }>();

/** A goal with a milestone and a second revision with a note, all plain, in a pair that then gets its key. */
async function plainGoalInEncryptedPair() {
  const p = await seedProgramme();
  const goal = await createGoalViaApi(p, { token: p.mentee.token, title: 'Speak at the autumn meetup' });
  const milestone = await createMilestoneViaApi(p.mentee.token, goal.id, 'Draft the talk');
  const patched = await expectJson<{ goal: { version: number } }>(
    await call('PATCH', `/api/v1/goals/${goal.id}`, { token: p.mentee.token, body: { version: goal.version, progress: 30, note: 'Practised twice with Theo' } }),
    200,
  );
  const key = await encrypt(p);
  const stored = await expectJson<{ goal: Record<(typeof FIELDS)[number], string> & { version: number } }>(await call('GET', `/api/v1/goals/${goal.id}`, { token: p.mentee.token }), 200);
  return { p, key, goal: { ...stored.goal, id: goal.id, version: patched.goal.version }, milestone };
}

async function sealedBody(key: SymmetricKey, pairId: string, goal: { id: string; version: number } & Record<(typeof FIELDS)[number], string>, milestoneId: string, revisions: { id: string; note: string; snapshot: string }[]) {
  const at = (recordId: string, field: string) => ({ pairId, recordId, field });
  const s = (recordId: string, field: string, text: string) => (text === '' ? Promise.resolve('') : seal({ key, plaintext: text, context: at(recordId, field) }));
  const smart = async (source: Record<string, unknown>) =>
    Object.fromEntries(await Promise.all(FIELDS.map(async (f) => [f, await s(goal.id, f, typeof source[f] === 'string' ? source[f] : '')]))) as Record<(typeof FIELDS)[number], string>;
  return {
    version: goal.version,
    goal: await smart(goal),
    milestones: [{ id: milestoneId, title: await s(milestoneId, 'title', 'Draft the talk') }],
    revisions: await Promise.all(revisions.map(async (r) => ({ id: r.id, note: await s(goal.id, 'revision-note', r.note), snapshot: await smart(JSON.parse(r.snapshot) as Record<string, string>) }))),
  };
}

describe('sealing a goal in place', () => {
  it('replaces the goal, milestone and history text with ciphertext, without a new revision', async () => {
    const { p, key, goal, milestone } = await plainGoalInEncryptedPair();
    const before = (await revisionRows(goal.id)).results;
    expect(before.length).toBe(2);
    const body = await sealedBody(key, p.pairId, goal, milestone.id, before);
    const { goal: sealed } = await expectJson<{ goal: { title: string; version: number; milestones: { title: string }[] } }>(
      await call('POST', `/api/v1/goals/${goal.id}/seal`, { token: p.mentee.token, body, headers: { 'idempotency-key': uuid() } }),
      200,
    );
    expect(sealed.version).toBe(goal.version + 1);
    expect(await open({ keys: key, sealed: sealed.title, context: { pairId: p.pairId, recordId: goal.id, field: 'title' } })).toBe(goal.title);
    expect(sealed.milestones[0]?.title.startsWith('a1.')).toBe(true);
    const after = (await revisionRows(goal.id)).results;
    expect(after.length).toBe(2); // no revision for sealing
    const everything = JSON.stringify(after) + JSON.stringify(await goalRow(goal.id));
    for (const plain of [goal.title, 'Practised twice with Theo', 'Draft the talk']) expect(everything).not.toContain(plain);
    expect(await open({ keys: key, sealed: after[1]!.note, context: { pairId: p.pairId, recordId: goal.id, field: 'revision-note' } })).toBe('Practised twice with Theo');
  });

  it('refuses plain text, parts of another goal, a stale version, an unencrypted pair and non-editors, changing nothing', async () => {
    const { p, key, goal, milestone } = await plainGoalInEncryptedPair();
    const body = await sealedBody(key, p.pairId, goal, milestone.id, (await revisionRows(goal.id)).results);
    const post = (token: string, b: unknown) => call('POST', `/api/v1/goals/${goal.id}/seal`, { token, body: b, headers: { 'idempotency-key': uuid() } });
    const unchanged = await goalRow(goal.id);

    await expectError(await post(p.mentee.token, { ...body, goal: { ...body.goal, title: 'Speak at the meetup' } }), 400, 'invalid_input');
    await expectError(await post(p.mentee.token, { ...body, milestones: [{ id: uuid(), title: body.milestones[0]!.title }] }), 400, 'invalid_input');
    await expectError(await post(p.mentee.token, { ...body, version: goal.version + 5 }), 409, 'version_conflict');
    await expectError(await post(p.outsider.token, body), 403, 'forbidden');
    expect(await goalRow(goal.id)).toEqual(unchanged);

    const plainPair = await seedProgramme();
    const other = await createGoalViaApi(plainPair, { token: plainPair.mentee.token });
    const res = await call('POST', `/api/v1/goals/${other.id}/seal`, {
      token: plainPair.mentee.token,
      body: { ...body, version: other.version, milestones: [], revisions: [] },
      headers: { 'idempotency-key': uuid() },
    });
    await expectError(res, 409, 'conflict');
  });
});
