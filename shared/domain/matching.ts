/**
 * How well a mentor fits a mentee: what the mentee wants to grow in against what the mentor knows, overlapping
 * working hours across time zones, and how much room the mentor has. Every part of the score comes with a reason
 * in words, so an admin can see why a mentor is suggested.
 */
import { formatMinutes, workingHoursOverlap, type WorkingDay } from './timezones.ts';

export interface MatchMentee {
  timeZone: string;
  workingHours: { startMinute: number; endMinute: number };
  goals: string[];
  interests: string[];
}

export interface MatchMentor extends MatchMentee {
  skills: string[];
  capacity: number;
  /** Pairs the mentor is in that are not ended (active or paused). */
  activePairs: number;
}

export interface MatchScore {
  score: number;
  reasons: string[];
  overlapMinutes: number;
  sharedTopics: string[];
  available: boolean;
}

/** Weights of the three parts; they add up to 100. */
export const MATCH_WEIGHTS = { goals: 40, interests: 10, overlap: 35, load: 15 } as const;
/** Overlapping working time per day that earns the whole overlap part (4 h: room for a call at a civil hour). */
export const FULL_OVERLAP_MINUTES = 240;

const norm = (s: string) => s.trim().toLocaleLowerCase('en');

/** Items of `wanted` (as written, first spelling kept, no repeats) that appear in `offered`, ignoring case. */
export function sharedTags(wanted: string[], offered: Iterable<string>): string[] {
  const have = new Set([...offered].map(norm));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of wanted) {
    const k = norm(w);
    if (!k || seen.has(k) || !have.has(k)) continue;
    seen.add(k);
    out.push(w.trim());
  }
  return out;
}

/** Tags without blanks and case-insensitive repeats, first spelling kept. */
export const uniqueTags = (tags: string[]) => sharedTags(tags, tags);

const list = (items: string[]) => items.join(', ');

export function scoreMentor(mentee: MatchMentee, mentor: MatchMentor, referenceDay: string | Date = new Date()): MatchScore {
  const reasons: string[] = [];

  // What the mentee wants to grow in, against the mentor's skills (and interests: a hobby can be expertise too).
  const menteeGoals = uniqueTags(mentee.goals);
  const goalMatches = sharedTags(menteeGoals, [...mentor.skills, ...mentor.interests]);
  const goalPart = menteeGoals.length ? (MATCH_WEIGHTS.goals * goalMatches.length) / menteeGoals.length : 0;
  if (goalMatches.length) {
    reasons.push(`Can help with ${goalMatches.length} of ${menteeGoals.length} goal${menteeGoals.length === 1 ? '' : 's'}: ${list(goalMatches)}`);
  } else if (menteeGoals.length) {
    reasons.push('No overlap with the mentee’s goals');
  }

  const goalKeys = new Set(goalMatches.map(norm));
  const interestMatches = sharedTags(mentee.interests, [...mentor.interests, ...mentor.skills]).filter((t) => !goalKeys.has(norm(t)));
  // Two shared interests are enough for rapport.
  const interestPart = MATCH_WEIGHTS.interests * Math.min(1, interestMatches.length / 2);
  if (interestMatches.length) reasons.push(`Shared interests: ${list(interestMatches)}`);

  const a: WorkingDay = { timeZone: mentee.timeZone, ...mentee.workingHours };
  const b: WorkingDay = { timeZone: mentor.timeZone, ...mentor.workingHours };
  const overlapMinutes = workingHoursOverlap(a, b, referenceDay);
  const overlapPart = MATCH_WEIGHTS.overlap * Math.min(1, overlapMinutes / FULL_OVERLAP_MINUTES);
  const zones = mentee.timeZone === mentor.timeZone ? `both in ${mentor.timeZone}` : `${mentor.timeZone} and ${mentee.timeZone}`;
  reasons.push(
    overlapMinutes > 0
      ? `${formatMinutes(overlapMinutes)} of shared working hours a day (${zones})`
      : `No shared working hours (${zones})`,
  );

  const free = Math.max(0, mentor.capacity - mentor.activePairs);
  const available = free > 0;
  const loadPart = available ? (MATCH_WEIGHTS.load * free) / mentor.capacity : 0;
  reasons.push(
    available
      ? `Has room for ${free} more pair${free === 1 ? '' : 's'} (${mentor.activePairs} of ${mentor.capacity} taken)`
      : `At capacity (${mentor.activePairs} of ${mentor.capacity} pairs): cannot take another mentee`,
  );

  // A full mentor is listed (so the admin sees why) but ranks last with score 0.
  const score = available ? Math.max(0, Math.min(100, Math.round(goalPart + interestPart + overlapPart + loadPart))) : 0;
  if (!available) reasons.unshift(reasons.pop() as string);
  return { score, reasons, overlapMinutes, sharedTopics: [...goalMatches, ...interestMatches], available };
}

/** Ranks scored mentors: available first, then by score, then by name. */
export function rankMatches<T extends { score: number; available: boolean; name: string }>(items: T[]): T[] {
  return [...items].sort((x, y) => Number(y.available) - Number(x.available) || y.score - x.score || x.name.localeCompare(y.name));
}
