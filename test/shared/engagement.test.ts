import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adherenceSeries,
  classifyAtRisk,
  completePeriods,
  lastWeeks,
  median,
  mondayOf,
  progressBucket,
  progressDistribution,
  share,
  stallDays,
  weeksOverlapping,
  type PairEngagement,
} from '../../shared/domain/engagement.ts';

describe('dates', () => {
  it('finds the Monday of a week', () => {
    expect(mondayOf('2025-03-02')).toBe('2025-02-24'); // Sunday
    expect(mondayOf('2025-02-24')).toBe('2025-02-24'); // Monday
    expect(mondayOf('2025-01-01')).toBe('2024-12-30'); // Wednesday
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (n) => {
        const d = new Date(n * 86_400_000).toISOString().slice(0, 10);
        const m = mondayOf(d);
        const diff = (Date.parse(d) - Date.parse(m)) / 86_400_000;
        return new Date(`${m}T00:00:00Z`).getUTCDay() === 1 && diff >= 0 && diff < 7;
      }),
    );
  });

  it('lists weeks', () => {
    expect(weeksOverlapping('2025-01-08', '2025-01-20')).toEqual(['2025-01-06', '2025-01-13', '2025-01-20']);
    expect(lastWeeks('2025-03-02', 3)).toEqual(['2025-02-10', '2025-02-17', '2025-02-24']);
  });
});

describe('median', () => {
  it('takes the middle value or the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([3])).toBe(3);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 5, 5, 7, 9, 9, 10, 10.5, 10.5, 14, 28, 35])).toBe(9.5);
  });

  it('has as many values at or below it as at or above it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1 }), (xs) => {
        const m = median(xs) as number;
        return xs.filter((x) => x <= m).length >= xs.length / 2 && xs.filter((x) => x >= m).length >= xs.length / 2;
      }),
    );
  });
});

describe('cadence adherence series', () => {
  it('counts complete cadence periods only', () => {
    expect(completePeriods(56, 'weekly')).toBe(8);
    expect(completePeriods(56, 'biweekly')).toBe(4);
    expect(completePeriods(56, 'monthly')).toBe(1);
    expect(completePeriods(29, 'monthly')).toBe(0);
  });

  it('expands grouped periods into weekly steps', () => {
    const series = adherenceSeries(
      '2025-01-06',
      '2025-02-09', // 35 days: weekly 0..4, biweekly 0..1, monthly 0
      [
        { cadence: 'weekly', kStart: 0, kEnd: 5, pairs: 2 },
        { cadence: 'biweekly', kStart: 1, kEnd: 2, pairs: 1 },
        { cadence: 'monthly', kStart: 0, kEnd: 1, pairs: 1 },
      ],
      [
        { cadence: 'weekly', k: 0, pairs: 2 },
        { cadence: 'weekly', k: 3, pairs: 1 },
        { cadence: 'biweekly', k: 1, pairs: 1 },
        { cadence: 'monthly', k: 0, pairs: 1 },
      ],
    );
    expect(series.map((s) => [s.periodStart, s.periodEnd, s.expected, s.met, s.share])).toEqual([
      ['2025-01-06', '2025-01-12', 3, 3, 1], // weekly k0 2/2, monthly k0 1/1
      ['2025-01-13', '2025-01-19', 3, 1, 0.3333], // weekly k1 0/2, monthly 1/1
      ['2025-01-20', '2025-01-26', 4, 2, 0.5], // weekly k2 0/2, biweekly k1 1/1, monthly 1/1
      ['2025-01-27', '2025-02-02', 4, 3, 0.75], // weekly k3 1/2, biweekly k1 1/1, monthly 1/1
      ['2025-02-03', '2025-02-09', 3, 1, 0.3333], // weekly k4 0/2, monthly k0 (days 0–29) 1/1, biweekly k2 incomplete
    ]);
  });

  it('shares are null when nothing was expected', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(2, 3)).toBe(0.6667);
  });
});

describe('classifyAtRisk', () => {
  const healthy: PairEngagement = {
    cadence: 'weekly',
    daysSinceContact: 3,
    hasMet: true,
    recentAverage: 4.5,
    recentCount: 4,
    previousAverage: 4.5,
    previousCount: 4,
    activeGoals: 2,
    daysSinceGoalUpdate: 5,
  };

  it('finds nothing wrong with a healthy pair', () => {
    expect(classifyAtRisk(healthy)).toEqual({ reasons: [], detail: [] });
  });

  it('flags no meeting for over 1.5 cadences', () => {
    expect(classifyAtRisk({ ...healthy, daysSinceContact: 10.5 }).reasons).toEqual([]);
    expect(classifyAtRisk({ ...healthy, daysSinceContact: 10.6 })).toEqual({
      reasons: ['no_meeting'],
      detail: ['No meeting for 10 days (cadence weekly, every 7 days)'],
    });
    expect(classifyAtRisk({ ...healthy, cadence: 'monthly', daysSinceContact: 44 }).reasons).toEqual([]);
    expect(classifyAtRisk({ ...healthy, hasMet: false, cadence: 'biweekly', daysSinceContact: 22 }).detail).toEqual([
      'No meeting since the pair started 22 days ago (cadence biweekly)',
    ]);
  });

  it('flags ratings that fell by a point or more, with enough ratings on both sides', () => {
    expect(classifyAtRisk({ ...healthy, recentAverage: 3.5, previousAverage: 4.5 }).reasons).toEqual(['falling_ratings']);
    expect(classifyAtRisk({ ...healthy, recentAverage: 3.75, previousAverage: 4.5 }).reasons).toEqual([]);
    expect(classifyAtRisk({ ...healthy, recentAverage: 2, previousAverage: 5, previousCount: 1 }).reasons).toEqual([]);
    expect(classifyAtRisk({ ...healthy, recentAverage: 2, previousAverage: null, previousCount: 0 }).reasons).toEqual([]);
  });

  it('flags stalled goals after two cadences and at least four weeks', () => {
    expect(stallDays('weekly')).toBe(28);
    expect(stallDays('monthly')).toBe(60);
    expect(classifyAtRisk({ ...healthy, daysSinceGoalUpdate: 28 }).reasons).toEqual([]);
    expect(classifyAtRisk({ ...healthy, daysSinceGoalUpdate: 29 }).detail).toEqual(['2 active goals, no goal changed for 29 days']);
    expect(classifyAtRisk({ ...healthy, activeGoals: 0, daysSinceGoalUpdate: 100 }).reasons).toEqual([]);
  });

  it('lists every reason that applies, in a fixed order', () => {
    const all = classifyAtRisk({ ...healthy, daysSinceContact: 30, recentAverage: 2, daysSinceGoalUpdate: 90 });
    expect(all.reasons).toEqual(['no_meeting', 'falling_ratings', 'goals_stalled']);
    expect(all.detail).toHaveLength(3);
  });
});

describe('goal progress buckets', () => {
  it('puts 100 on its own and everything else in twenties', () => {
    expect([0, 19, 20, 39, 40, 59, 60, 79, 80, 99, 100].map(progressBucket)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    const d = progressDistribution(new Map([[5, 2], [0, 1]]));
    expect(d.map((b) => [b.label, b.min, b.max, b.count])).toEqual([
      ['0–19', 0, 19, 1],
      ['20–39', 20, 39, 0],
      ['40–59', 40, 59, 0],
      ['60–79', 60, 79, 0],
      ['80–99', 80, 99, 0],
      ['100', 100, 100, 2],
    ]);
  });
});
