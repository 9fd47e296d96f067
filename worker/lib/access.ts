import type { Pair } from '../../shared/schemas/index.ts';
import { getPair } from '../db/pairs.ts';
import type { AuthUser, Db } from '../env.ts';
import { ApiError, forbidden, notFound } from './errors.ts';

export interface Membership {
  pair: Pair;
  myRole: 'mentor' | 'mentee';
  partnerId: string;
}

/**
 * The caller's membership of a pair. Another organisation's pair is reported as not found (its existence is not
 * revealed); a pair of the same organisation that the caller is not in is forbidden.
 */
export async function requirePairMember(db: Db, auth: AuthUser, pairId: string): Promise<Membership> {
  return membershipOf(await getPair(db, pairId), auth);
}

/** requirePairMember on a pair already read (null: no pair with the id). */
export function membershipOf(pair: Pair | null, auth: AuthUser): Membership {
  if (!pair || pair.orgId !== auth.orgId) throw notFound('Pair');
  if (pair.mentorId === auth.id) return { pair, myRole: 'mentor', partnerId: pair.menteeId };
  if (pair.menteeId === auth.id) return { pair, myRole: 'mentee', partnerId: pair.mentorId };
  throw forbidden('You are not a member of this pair');
}

/** Ended pairs are kept for the record but take no new writes. */
export function requireWritable(m: Membership): void {
  if (m.pair.status === 'ended') throw new ApiError(409, 'conflict', 'This pair has ended; its records are read-only');
}
