import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FULL_OVERLAP_MINUTES, rankMatches, scoreMentor, sharedTags, uniqueTags, type MatchMentee, type MatchMentor } from '../../shared/domain/matching.ts';

const mentee: MatchMentee = {
  timeZone: 'Europe/Lisbon',
  workingHours: { startMinute: 540, endMinute: 1020 },
  goals: ['Public speaking', 'roadmaps', 'Hiring'],
  interests: ['climbing', 'Design'],
};
const mentor = (extra: Partial<MatchMentor> = {}): MatchMentor => ({
  timeZone: 'Europe/Lisbon',
  workingHours: { startMinute: 540, endMinute: 1020 },
  goals: [],
  interests: [],
  skills: [],
  capacity: 3,
  activePairs: 0,
  ...extra,
});
const DAY = '2025-01-15';

describe('tags', () => {
  it('match case-insensitively, keep the wanted spelling, drop blanks and repeats', () => {
    expect(sharedTags(['Public Speaking', ' public speaking ', '', 'SQL'], ['public speaking', 'sql '])).toEqual(['Public Speaking', 'SQL']);
    expect(uniqueTags(['A', 'a', ' b', ''])).toEqual(['A', 'b']);
  });
});

describe('scoreMentor', () => {
  it('scores goals against skills, shared interests, overlap and load, each with a reason', () => {
    const s = scoreMentor(mentee, mentor({ skills: ['public speaking', 'ROADMAPS', 'sql'], interests: ['climbing'], capacity: 4, activePairs: 2 }), DAY);
    // goals 40 × 2/3 = 26.67; interests 10 × 1/2 = 5; overlap 35 × 480/240 → 35; load 15 × 2/4 = 7.5 → 74
    expect(s.score).toBe(74);
    expect(s.sharedTopics).toEqual(['Public speaking', 'roadmaps', 'climbing']);
    expect(s.overlapMinutes).toBe(480);
    expect(s.available).toBe(true);
    expect(s.reasons).toEqual([
      'Can help with 2 of 3 goals: Public speaking, roadmaps',
      'Shared interests: climbing',
      '8 h of shared working hours a day (both in Europe/Lisbon)',
      'Has room for 2 more pairs (2 of 4 taken)',
    ]);
  });

  it('says when nothing matches and there are no shared hours', () => {
    const s = scoreMentor(mentee, mentor({ timeZone: 'Pacific/Auckland', skills: ['cooking'] }), DAY);
    expect(s.reasons).toEqual([
      'No overlap with the mentee’s goals',
      'No shared working hours (Pacific/Auckland and Europe/Lisbon)',
      'Has room for 3 more pairs (0 of 3 taken)',
    ]);
    expect(s.score).toBe(15);
    expect(s.overlapMinutes).toBe(0);
  });

  it('gives a full mentor score 0, not available, the capacity reason first', () => {
    const s = scoreMentor(mentee, mentor({ skills: ['hiring'], capacity: 2, activePairs: 2 }), DAY);
    expect(s).toMatchObject({ score: 0, available: false });
    expect(s.reasons[0]).toBe('At capacity (2 of 2 pairs): cannot take another mentee');
    expect(scoreMentor(mentee, mentor({ capacity: 0 }), DAY).available).toBe(false);
  });

  it('always stays within 0..100 and never rates a full mentor above 0', () => {
    const tags = fc.array(fc.constantFrom('a', 'B', 'c', 'design', 'Hiring', 'roadmaps', 'x y'), { maxLength: 6 });
    const hours = fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 })).map(([s, l]) => ({ startMinute: s, endMinute: Math.min(1440, s + l) }));
    const zone = fc.constantFrom('UTC', 'Asia/Kolkata', 'America/Chicago', 'Australia/Sydney');
    fc.assert(
      fc.property(tags, tags, tags, tags, hours, hours, zone, zone, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 60 }), (g, i, sk, mi, h1, h2, z1, z2, cap, load) => {
        const s = scoreMentor({ timeZone: z1, workingHours: h1, goals: g, interests: i }, { timeZone: z2, workingHours: h2, goals: [], interests: mi, skills: sk, capacity: cap, activePairs: load }, DAY);
        return Number.isInteger(s.score) && s.score >= 0 && s.score <= 100 && (s.available || s.score === 0) && s.available === load < cap && s.reasons.length >= 2;
      }),
    );
  });

  it('gives the whole overlap part from FULL_OVERLAP_MINUTES on', () => {
    const twoHours = scoreMentor({ ...mentee, goals: [], interests: [] }, mentor({ workingHours: { startMinute: 900, endMinute: 1140 } }), DAY);
    expect(twoHours.overlapMinutes).toBe(120);
    expect(twoHours.score).toBe(Math.round((35 * 120) / FULL_OVERLAP_MINUTES + 15));
  });
});

describe('rankMatches', () => {
  it('puts available mentors first, then higher scores, then names', () => {
    const ranked = rankMatches([
      { name: 'Full', score: 0, available: false },
      { name: 'Bea', score: 50, available: true },
      { name: 'Al', score: 50, available: true },
      { name: 'Top', score: 90, available: true },
    ]);
    expect(ranked.map((r) => r.name)).toEqual(['Top', 'Al', 'Bea', 'Full']);
  });
});
