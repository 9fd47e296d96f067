/**
 * Sealing a goal in place (issue 10): when a pair becomes end-to-end encrypted, a member's device replaces the goal's
 * existing plain text (title, SMART fields, milestone titles, and the history's snapshots and notes) with sealed
 * values of the same text. Unlike an edit, this is not a change of the goal: no revision is written (a revision
 * would keep the plain text in its snapshot). Every value must be sealed (or empty), so the route can never be used
 * to put plain text back. Where each field is sealed (shared/crypto/seal.ts context): the goal's fields and the
 * snapshot fields under the goal's id, a milestone title under the milestone's id, a history note under the goal's id
 * and the field 'revision-note'.
 */
import { z } from 'zod';
import { Sealed } from '../crypto/seal.ts';
import { Id, Version } from './common.ts';
import { sealedMaxLength } from './pairs.ts';

const SHORT = 200;
const LONG = 4000;
const sealed = (plainMax: number) => Sealed.max(sealedMaxLength(plainMax));
const sealedOrEmpty = (plainMax: number) => z.union([sealed(plainMax), z.literal('')]);

const SealedSmart = z.object({
  title: sealed(SHORT),
  specific: sealedOrEmpty(LONG),
  measure: sealedOrEmpty(LONG),
  target: sealedOrEmpty(LONG),
  relevance: sealedOrEmpty(LONG),
});

/** A goal's history is small (one revision per edit), but a body is at most 64 KiB (worker/app.ts). */
export const MAX_SEALED_REVISIONS = 100;

export const SealGoal = z.object({
  /** The goal's version as read; a stale one is a 409 with the current goal. */
  version: Version,
  goal: SealedSmart,
  milestones: z.array(z.object({ id: Id, title: sealed(SHORT) })).max(100),
  revisions: z
    .array(z.object({ id: Id, note: sealedOrEmpty(500), snapshot: SealedSmart.extend({ title: sealedOrEmpty(SHORT) }) }))
    .max(MAX_SEALED_REVISIONS),
});
export type SealGoal = z.input<typeof SealGoal>;
