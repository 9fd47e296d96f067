/**
 * Goals under end-to-end encryption (issue 10): their title, SMART fields, milestone titles and revision notes take
 * sealed values, and once the pair is encrypted nothing else; the mentee may show one goal's title to the programme
 * (`programmeTitle`, plain on purpose); and the admin view gets that title and the figures, never the pair's text.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { open, seal, type SymmetricKey } from '../../shared/crypto/index.ts';
import { AdminPairDetail, GOAL_FIELD_MAX, Goal, GoalRevision, Milestone, sealedMaxLength } from '../../shared/schemas/index.ts';
import { CIPHERTEXT_REQUIRED } from '../../worker/lib/e2ee.ts';
import { encryptPair } from './e2ee-helpers.ts';
import { type Programme, call, countRows, createGoalViaApi, createMilestoneViaApi, expectError, expectJson, orgSnapshot, seedProgramme, uuid } from './helpers.ts';

const api = (path: string) => `/api/v1${path}`;
const GoalBody = z.object({ goal: Goal });
const postGoal = (token: string, body: unknown) => call('POST', api('/goals'), { token, body });
const patchGoal = (token: string, id: string, body: unknown) => call('PATCH', api(`/goals/${id}`), { token, body });
const history = async (token: string, id: string) =>
  z.object({ history: z.array(GoalRevision) }).parse(await expectJson(await call('GET', api(`/goals/${id}/history`), { token }), 200)).history;

/** Seals `text` for a field of a record of the pair, as the extension does. */
const sealFor = (p: Programme, key: SymmetricKey, recordId: string, field: string, text: string) =>
  seal({ key, plaintext: text, context: { pairId: p.pairId, recordId, field } });

describe('goal text once the pair is encrypted', () => {
  it('takes plain text before the first pair key; after it, refuses plain goal and milestone text (400, nothing changed) and stores sealed text as sent', async () => {
    const p = await seedProgramme();
    const plainGoal = await createGoalViaApi(p, { title: 'Plain, before encryption' });
    const plainMilestone = await createMilestoneViaApi(p.mentor.token, plainGoal.id, 'Plain milestone');
    const { pairKey } = await encryptPair(p);
    const before = await orgSnapshot(p.orgId);

    const id = uuid();
    const refused = await expectError(await postGoal(p.mentee.token, { id, pairId: p.pairId, title: 'Speak at a meetup', measure: 'One talk' }), 400, 'invalid_input');
    expect(refused.error.issues).toEqual([
      { path: ['title'], message: CIPHERTEXT_REQUIRED },
      { path: ['measure'], message: CIPHERTEXT_REQUIRED },
    ]);
    // One plain field among sealed ones is enough to refuse the request.
    const sealedTitle = await sealFor(p, pairKey, id, 'title', 'Speak at a meetup');
    await expectError(await postGoal(p.mentee.token, { id, pairId: p.pairId, title: sealedTitle, relevance: 'Confidence' }), 400, 'invalid_input');
    for (const patch of [{ title: 'Plain title' }, { specific: 'Plain' }, { target: 'Plain' }, { progress: 20, note: 'Plain note' }]) {
      const err = await expectError(await patchGoal(p.mentor.token, plainGoal.id, { version: 1, ...patch }), 400, 'invalid_input');
      expect(err.error.message).toContain(CIPHERTEXT_REQUIRED);
    }
    await expectError(await call('POST', api(`/goals/${plainGoal.id}/milestones`), { token: p.mentor.token, body: { id: uuid(), title: 'Plain' } }), 400, 'invalid_input');
    await expectError(await call('PATCH', api(`/goals/milestones/${plainMilestone.id}`), { token: p.mentor.token, body: { version: 1, title: 'Plain' } }), 400, 'invalid_input');
    expect(await orgSnapshot(p.orgId)).toEqual(before);

    // Sealed text is stored and answered exactly as sent; empty SMART fields hold no text and need no sealing.
    const fields = { title: sealedTitle, specific: await sealFor(p, pairKey, id, 'specific', 'At the local TypeScript meetup'), measure: '' };
    const { goal } = GoalBody.parse(await expectJson(await postGoal(p.mentee.token, { id, pairId: p.pairId, ...fields }), 201));
    expect(goal).toMatchObject({ ...fields, target: '', relevance: '', programmeTitle: null });
    const row = await env.DB.prepare('SELECT title, specific FROM goals WHERE id = ?').bind(id).first<{ title: string; specific: string }>();
    expect(row).toEqual({ title: fields.title, specific: fields.specific });
    expect(await open({ keys: pairKey, sealed: row?.title ?? '', context: { pairId: p.pairId, recordId: id, field: 'title' } })).toBe('Speak at a meetup');

    // A change with a sealed note and sealed fields; the history keeps them sealed, as stored.
    const note = await sealFor(p, pairKey, id, 'note', 'Booked the slot');
    const target = await sealFor(p, pairKey, id, 'target', '20 minutes');
    const changed = GoalBody.parse(await expectJson(await patchGoal(p.mentee.token, id, { version: 1, progress: 30, target, note }), 200)).goal;
    expect(changed).toMatchObject({ target, progress: 30, version: 2 });
    const revisions = await history(p.mentee.token, id);
    expect(revisions.map((r) => [r.note, r.snapshot.title, r.snapshot.target])).toEqual([
      ['Created', sealedTitle, ''],
      [note, sealedTitle, target],
    ]);

    // Milestones: sealed titles on create and rename.
    const milestoneId = uuid();
    const milestoneTitle = await sealFor(p, pairKey, milestoneId, 'title', 'Send the abstract');
    const { milestone } = z
      .object({ milestone: Milestone })
      .parse(await expectJson(await call('POST', api(`/goals/${id}/milestones`), { token: p.mentee.token, body: { id: milestoneId, title: milestoneTitle } }), 201));
    expect(milestone.title).toBe(milestoneTitle);
    const renamed = await sealFor(p, pairKey, milestoneId, 'title', 'Send the final abstract');
    await expectJson(await call('PATCH', api(`/goals/milestones/${milestoneId}`), { token: p.mentee.token, body: { version: 1, title: renamed } }), 200);
    // Migrating the old plain goal: sealed values replace the plain ones.
    const migrated = await sealFor(p, pairKey, plainGoal.id, 'title', 'Plain, before encryption');
    expect((await patchGoal(p.mentor.token, plainGoal.id, { version: 1, title: migrated })).status).toBe(200);
  });

  it('fits the longest allowed SMART field, sealed, within its limit; a sealed value past the limit is refused', async () => {
    const p = await seedProgramme();
    const { pairKey } = await encryptPair(p);
    const id = uuid();
    const longest = 'é'.repeat(GOAL_FIELD_MAX);
    const specific = await sealFor(p, pairKey, id, 'specific', longest);
    expect(specific.length).toBeLessThanOrEqual(sealedMaxLength(GOAL_FIELD_MAX));
    const title = await sealFor(p, pairKey, id, 'title', 'Write more');
    expect((await postGoal(p.mentee.token, { id, pairId: p.pairId, title, specific })).status).toBe(201);
    const tooLong = `${specific.slice(0, 37)}${'A'.repeat(sealedMaxLength(GOAL_FIELD_MAX) - 36)}`;
    await expectError(await postGoal(p.mentee.token, { id: uuid(), pairId: p.pairId, title, specific: tooLong }), 400, 'invalid_input');
  });
});

describe('a goal title shown to the programme', () => {
  async function programmeWithGoals() {
    const p = await seedProgramme();
    const menteeGoal = await createGoalViaApi(p, { token: p.mentee.token, title: 'Lead a retrospective' });
    const mentorGoal = await createGoalViaApi(p, { ownerId: p.mentor.id, title: 'Coach a mentee' });
    return { p, menteeGoal, mentorGoal };
  }

  it('is set by the mentee who owns the goal, alone: the version moves, no revision is recorded', async () => {
    const { p, menteeGoal } = await programmeWithGoals();
    const shown = GoalBody.parse(await expectJson(await patchGoal(p.mentee.token, menteeGoal.id, { version: 1, programmeTitle: 'Lead a retrospective' }), 200)).goal;
    expect(shown).toMatchObject({ programmeTitle: 'Lead a retrospective', version: 2, title: 'Lead a retrospective', progress: 0 });
    expect(await countRows('goal_revisions', 'goal_id = ?', menteeGoal.id)).toBe(1);
    // Made private again (null); with a change of progress, that change is a revision as usual.
    const hidden = GoalBody.parse(await expectJson(await patchGoal(p.mentee.token, menteeGoal.id, { version: 2, programmeTitle: null, progress: 10 }), 200)).goal;
    expect(hidden).toMatchObject({ programmeTitle: null, version: 3, progress: 10 });
    expect((await history(p.mentee.token, menteeGoal.id)).map((r) => [r.version, r.progress])).toEqual([
      [1, 0],
      [3, 10],
    ]);
    // Members read it with the goal.
    const list = z.object({ goals: z.array(Goal) }).parse(await expectJson(await call('GET', api(`/goals?pairId=${p.pairId}`), { token: p.mentor.token }), 200));
    expect(list.goals.find((g) => g.id === menteeGoal.id)?.programmeTitle).toBeNull();
  });

  it("is refused (403, nothing changed) to the mentor, on the mentor's own goal, and on the partner's goal", async () => {
    const { p, menteeGoal, mentorGoal } = await programmeWithGoals();
    const before = await orgSnapshot(p.orgId);
    for (const [token, goalId] of [
      [p.mentor.token, menteeGoal.id],
      [p.mentor.token, mentorGoal.id],
      [p.mentee.token, mentorGoal.id],
    ] as const) {
      const err = await expectError(await patchGoal(token, goalId, { version: 1, programmeTitle: 'Shown', progress: 50 }), 403, 'forbidden');
      expect(err.error.message).toBeTruthy();
    }
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each([
    ['a sealed value (the programme reads it)', { programmeTitle: 'a1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA' }],
    ['an empty title', { programmeTitle: ' ' }],
    ['a title over 200 characters', { programmeTitle: 'x'.repeat(201) }],
    ['a note without a change to the goal', { programmeTitle: 'Shown', note: 'why' }],
  ])('refuses %s with 400 and changes nothing', async (_label, patch) => {
    const { p, menteeGoal } = await programmeWithGoals();
    const before = await orgSnapshot(p.orgId);
    await expectError(await patchGoal(p.mentee.token, menteeGoal.id, { version: 1, ...patch }), 400, 'invalid_input');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it("is erased with the mentee's other goal text", async () => {
    const { p, menteeGoal } = await programmeWithGoals();
    await expectJson(await patchGoal(p.mentee.token, menteeGoal.id, { version: 1, programmeTitle: 'Lead a retrospective' }), 200);
    const erase = await call('DELETE', api(`/admin/users/${p.mentee.id}`), { token: p.admin.token, body: { confirmEmail: `${p.mentee.id}@example.org` } });
    expect(erase.status).toBe(200);
    const row = await env.DB.prepare('SELECT title, programme_title FROM goals WHERE id = ?').bind(menteeGoal.id).first();
    expect(row).toEqual({ title: '(erased)', programme_title: null });
  });

  it('stays plain text in an encrypted pair', async () => {
    const p = await seedProgramme();
    const goal = await createGoalViaApi(p, { token: p.mentee.token, title: 'Lead a retrospective' });
    await encryptPair(p);
    const shown = GoalBody.parse(await expectJson(await patchGoal(p.mentee.token, goal.id, { version: 1, programmeTitle: 'Lead a retrospective' }), 200)).goal;
    expect(shown.programmeTitle).toBe('Lead a retrospective');
  });
});

describe('the admin view of goals', () => {
  it('shows the programme title and the figures, never the title, SMART fields, milestone titles or revision notes', async () => {
    const p = await seedProgramme();
    const secret = (what: string) => `SECRET-${what}-${uuid().slice(0, 8)}`;
    const texts = { title: secret('title'), specific: secret('specific'), measure: secret('measure'), target: secret('target'), relevance: secret('relevance') };
    const shownId = uuid();
    const privateId = uuid();
    for (const id of [shownId, privateId]) {
      await expectJson(await postGoal(p.mentee.token, { id, pairId: p.pairId, ...texts, title: `${texts.title}-${id.slice(0, 4)}`, progress: 20 }), 201);
    }
    const milestoneTitle = secret('milestone');
    const milestone = await createMilestoneViaApi(p.mentee.token, privateId, milestoneTitle);
    await expectJson(await call('PATCH', api(`/goals/milestones/${milestone.id}`), { token: p.mentee.token, body: { version: 1, done: true } }), 200);
    const note = secret('note');
    await expectJson(await patchGoal(p.mentor.token, privateId, { version: 1, progress: 60, note }), 200);
    await expectJson(await patchGoal(p.mentee.token, shownId, { version: 1, programmeTitle: 'Public speaking' }), 200);

    const res = await call('GET', api(`/admin/pairs/${p.pairId}`), { token: p.admin.token });
    const text = await res.clone().text();
    for (const s of [...Object.values(texts), milestoneTitle, note, 'Created']) expect(text).not.toContain(s);
    const detail = AdminPairDetail.parse(await expectJson(res, 200));
    const byId = new Map(detail.goals.map((g) => [g.id, g]));
    expect(byId.get(shownId)).toMatchObject({ programmeTitle: 'Public speaking', progress: 20, status: 'active', milestones: [] });
    expect(byId.get(privateId)).toMatchObject({ programmeTitle: null, progress: 60, status: 'active' });
    expect(byId.get(privateId)?.milestones.map((m) => m.doneAt !== null)).toEqual([true]);
    expect(byId.get(privateId)?.history.map((h) => [h.progress, h.authorId])).toEqual([
      [20, p.mentee.id],
      [60, p.mentor.id],
    ]);
    // Nothing but the listed fields reaches the admin: no key of a goal, milestone or revision beyond them.
    const raw = (await call('GET', api(`/admin/pairs/${p.pairId}`), { token: p.admin.token }).then((r) => r.json())) as { goals: Record<string, unknown>[] };
    for (const g of raw.goals) {
      expect(Object.keys(g).sort()).toEqual(['createdAt', 'dueOn', 'history', 'id', 'milestones', 'ownerId', 'pairId', 'programmeTitle', 'progress', 'status', 'updatedAt', 'version']);
      for (const m of g.milestones as Record<string, unknown>[]) expect(Object.keys(m).sort()).toEqual(['doneAt', 'dueOn', 'id']);
      for (const h of g.history as Record<string, unknown>[]) expect(Object.keys(h).sort()).toEqual(['authorId', 'createdAt', 'id', 'progress', 'status', 'version']);
    }
    // The CSV exports never carried goal text, and still do not.
    for (const path of ['/admin/export/pairs.csv', '/admin/export/engagement.csv']) {
      const csv = await (await call('GET', api(path), { token: p.admin.token })).text();
      for (const s of [...Object.values(texts), milestoneTitle, note]) expect(csv).not.toContain(s);
    }
  });

  it('shows no ciphertext for an encrypted pair', async () => {
    const p = await seedProgramme();
    const { pairKey } = await encryptPair(p);
    const id = uuid();
    const title = await sealFor(p, pairKey, id, 'title', 'Ship the feature');
    await expectJson(await postGoal(p.mentee.token, { id, pairId: p.pairId, title, progress: 40 }), 201);
    const text = await (await call('GET', api(`/admin/pairs/${p.pairId}`), { token: p.admin.token })).text();
    expect(text).not.toMatch(/a1\.[\w-]{16}\.[\w-]{16}\./);
    expect(AdminPairDetail.parse(JSON.parse(text)).goals.map((g) => [g.programmeTitle, g.progress])).toEqual([[null, 40]]);
  });
});
