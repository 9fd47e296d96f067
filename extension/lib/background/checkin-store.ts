/**
 * The pairs' check-ins as the background knows them (issue 9): read from the server and kept per pair, so the side
 * panel has something to show offline and the reminders can be worked out when an alarm wakes the background.
 */
import { CheckInsResponse } from '../../../shared/schemas/index.ts';
import { api, unwrap } from './api.ts';
import { checkInsCacheItem } from './storage.ts';

/** Reads a pair's check-ins from the server (validated) and keeps the copy. Throws ApiFailure when it cannot. */
export async function fetchCheckIns(pairId: string): Promise<CheckInsResponse> {
  const client = await api();
  const checkIns = CheckInsResponse.parse(await unwrap(client.pairs[':id'].checkins.$get({ param: { id: pairId } })));
  await checkInsCacheItem(pairId).set({ checkIns, fetchedAt: new Date().toISOString() });
  return checkIns;
}

/** The copy last read, or null. */
export async function cachedCheckIns(pairId: string): Promise<CheckInsResponse | null> {
  return (await checkInsCacheItem(pairId).get())?.checkIns ?? null;
}
