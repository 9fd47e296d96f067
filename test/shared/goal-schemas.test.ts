/**
 * Goal schemas under end-to-end encryption (issue 10): sealed values where goal text is sent, a plain programme
 * title, and copies of goals cached before `programmeTitle` existed.
 */
import { describe, expect, it } from 'vitest';
import { GOAL_FIELD_MAX, GOAL_TITLE_MAX, Goal, GoalPatch, MilestonePatch, NewGoal, NewMilestone, sealedMaxLength } from '../../shared/schemas/index.ts';

/** The shape of a sealed value (shared/crypto/seal.ts) with `n` characters of ciphertext. */
const sealedOfLength = (n: number) => `a1.${'k'.repeat(16)}.${'n'.repeat(16)}.${'c'.repeat(n)}`;
const id = '0190a000-0000-7000-8000-000000000001';

describe('goal text as sent', () => {
  it('takes a sealed title, SMART field, milestone title and note up to the longest sealed form of the plain limit', () => {
    const title = sealedOfLength(sealedMaxLength(GOAL_TITLE_MAX) - 37);
    const field = sealedOfLength(sealedMaxLength(GOAL_FIELD_MAX) - 37);
    expect(title.length).toBe(sealedMaxLength(GOAL_TITLE_MAX));
    expect(NewGoal.parse({ id, pairId: id, title, specific: field }).specific).toBe(field);
    expect(GoalPatch.safeParse({ version: 1, measure: field, note: sealedOfLength(700), progress: 5 }).success).toBe(true);
    expect(NewMilestone.safeParse({ id, title }).success).toBe(true);
    expect(MilestonePatch.safeParse({ version: 1, title }).success).toBe(true);
    // One character more is refused, and so is plain text past the plain limit.
    expect(NewGoal.safeParse({ id, pairId: id, title: `${title}c` }).success).toBe(false);
    expect(NewGoal.safeParse({ id, pairId: id, title: 'x'.repeat(GOAL_TITLE_MAX + 1) }).success).toBe(false);
  });
});

describe('GoalPatch.programmeTitle', () => {
  it('is a change on its own, and may be null (private again)', () => {
    expect(GoalPatch.safeParse({ version: 1, programmeTitle: 'Public speaking' }).success).toBe(true);
    expect(GoalPatch.safeParse({ version: 1, programmeTitle: null }).success).toBe(true);
    expect(GoalPatch.safeParse({ version: 1 }).success).toBe(false);
  });

  it('is plain text: a sealed value, an empty or an overlong title is refused', () => {
    for (const programmeTitle of [sealedOfLength(22), '', '   ', 'x'.repeat(201)]) {
      expect(GoalPatch.safeParse({ version: 1, programmeTitle }).success, programmeTitle).toBe(false);
    }
  });

  it('does not carry a note: a note says why the goal itself changed', () => {
    const parsed = GoalPatch.safeParse({ version: 1, programmeTitle: 'Shown', note: 'why' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path)).toEqual([['note']]);
  });
});

describe('Goal', () => {
  it('reads a copy stored before programmeTitle existed as private to the pair', () => {
    const t = '2025-01-01T00:00:00.000Z';
    const old = { id, pairId: id, ownerId: id, title: 'T', specific: '', measure: '', target: '', relevance: '', dueOn: null, status: 'active', progress: 0, version: 1, createdAt: t, updatedAt: t, milestones: [] };
    expect(Goal.parse(old).programmeTitle).toBeNull();
  });
});
