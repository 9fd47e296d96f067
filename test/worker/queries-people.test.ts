import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { AdminPair, Goal, GoalRevision, Milestone, NewUser, PairSummary, User } from '../../shared/schemas/index.ts';
import { auditIfChangedStatement, auditStatement } from '../../worker/db/audit.ts';
import {
  findActiveToken,
  findOpenInvitation,
  insertInvitationStatement,
  redeemStatements,
  revokeOpenInvitationsStatement,
  revokeToken,
} from '../../worker/db/auth.ts';
import {
  getGoal,
  getMilestone,
  insertGoal,
  insertMilestone,
  listGoalHistory,
  listGoalsOfPair,
  listPairGoalHistory,
  updateGoal,
  updateMilestone,
  type GoalState,
} from '../../worker/db/goals.ts';
import { getOrgPair, getPair, getPerson, insertPairStatement, listOrgPairs, listPairsOfMember, updatePairStatement } from '../../worker/db/pairs.ts';
import {
  findUserByEmail,
  getOrganisation,
  getUser,
  insertUserStatement,
  listUsers,
  revokeUserStatements,
  updateUserStatement,
} from '../../worker/db/users.ts';
import { sha256Hex } from '../../worker/lib/crypto.ts';
import { countRows, seedInvitation, seedMeetingRow, seedProgramme, seedToken, seedUser, uuid, type Programme } from './helpers.ts';

const DB = () => env.DB;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
const NOW = () => iso(0);

const state = (over: Partial<GoalState> = {}): GoalState => ({
  title: 'Write a blog post',
  specific: '',
  measure: '',
  target: '',
  relevance: '',
  dueOn: null,
  status: 'active',
  progress: 0,
  ...over,
});

async function goalOf(p: Programme, over: Partial<GoalState> = {}, ownerId = p.mentee.id): Promise<string> {
  const id = uuid();
  await insertGoal(DB(), { id, pairId: p.pairId, orgId: p.orgId, ownerId, authorId: p.mentor.id, revisionId: uuid(), state: state(over) });
  return id;
}

describe('db/auth', () => {
  it('findActiveToken finds a live token by its hash, with the user’s role and organisation', async () => {
    const p = await seedProgramme();
    expect(await findActiveToken(DB(), await sha256Hex(p.mentor.token), NOW())).toEqual({ userId: p.mentor.id, orgId: p.orgId, role: 'mentor' });
    // The token itself is not a key: only its hash is.
    expect(await findActiveToken(DB(), p.mentor.token, NOW())).toBeNull();
  });

  it('findActiveToken ignores expired and revoked tokens and the tokens of revoked users', async () => {
    const p = await seedProgramme();
    const expired = await seedToken(p.mentee, { expiresAt: iso(-1) });
    const revoked = await seedToken(p.mentee, { revokedAt: iso(-1000) });
    for (const token of [expired, revoked]) expect(await findActiveToken(DB(), await sha256Hex(token), NOW())).toBeNull();
    // Exactly at its expiry instant the token is already dead.
    const expiresAt = iso(60_000);
    const edge = await seedToken(p.mentee, { expiresAt });
    expect(await findActiveToken(DB(), await sha256Hex(edge), expiresAt)).toBeNull();

    await DB().prepare("UPDATE users SET status = 'revoked' WHERE id = ?").bind(p.mentee.id).run();
    expect(await findActiveToken(DB(), await sha256Hex(p.mentee.token), NOW())).toBeNull();
  });

  it('revokeToken revokes one token and keeps the first revocation time', async () => {
    const p = await seedProgramme();
    const other = await seedToken(p.mentor);
    const hash = await sha256Hex(p.mentor.token);
    await revokeToken(DB(), hash);
    const first = await DB().prepare('SELECT revoked_at FROM tokens WHERE token_hash = ?').bind(hash).first<string>('revoked_at');
    expect(first).not.toBeNull();
    await revokeToken(DB(), hash);
    expect(await DB().prepare('SELECT revoked_at FROM tokens WHERE token_hash = ?').bind(hash).first<string>('revoked_at')).toBe(first);
    expect(await findActiveToken(DB(), await sha256Hex(other), NOW())).not.toBeNull();
  });

  it('findOpenInvitation finds only unused, unrevoked, unexpired invitations of active users', async () => {
    const p = await seedProgramme();
    const open = await seedInvitation(p.mentee);
    expect(await findOpenInvitation(DB(), await sha256Hex(open), NOW())).toMatchObject({ userId: p.mentee.id, orgId: p.orgId });
    for (const opts of [{ expiresAt: iso(-1) }, { revokedAt: iso(-1) }, { redeemedAt: iso(-1) }]) {
      const code = await seedInvitation(p.mentee, opts);
      expect(await findOpenInvitation(DB(), await sha256Hex(code), NOW())).toBeNull();
    }
    await DB().prepare("UPDATE users SET status = 'revoked' WHERE id = ?").bind(p.mentee.id).run();
    expect(await findOpenInvitation(DB(), await sha256Hex(open), NOW())).toBeNull();
  });

  it('redeemStatements marks the invitation used and creates the token; a second redemption changes nothing', async () => {
    const p = await seedProgramme();
    const invitationId = uuid();
    await insertInvitationStatement(DB(), { id: invitationId, orgId: p.orgId, userId: p.outsider.id, codeHash: await sha256Hex(uuid()), createdBy: p.admin.id, expiresAt: iso(86_400_000) }).run();

    const first = await DB().batch(redeemStatements(DB(), { invitationId, userId: p.outsider.id, orgId: p.orgId, tokenHash: 'a'.repeat(64), expiresAt: iso(86_400_000) }));
    // the token's row, and the same row again as token_takes_user fills in its user (0015_lean_hot_writes.sql)
    expect(first.map((r) => r.meta.changes)).toEqual([1, 2]);
    const second = await DB().batch(redeemStatements(DB(), { invitationId, userId: p.outsider.id, orgId: p.orgId, tokenHash: 'b'.repeat(64), expiresAt: iso(86_400_000) }));
    expect(second.map((r) => r.meta.changes)).toEqual([0, 0]);

    expect(await countRows('tokens', 'user_id = ?', p.outsider.id)).toBe(2); // the seeded token and the redeemed one
    expect(await countRows('tokens', 'token_hash = ?', 'b'.repeat(64))).toBe(0);
    expect(await countRows('invitations', 'id = ? AND redeemed_at IS NOT NULL', invitationId)).toBe(1);
  });

  it('revokeOpenInvitationsStatement revokes only the open invitations of that user', async () => {
    const p = await seedProgramme();
    await seedInvitation(p.mentee);
    await seedInvitation(p.mentee, { redeemedAt: iso(-1) });
    await seedInvitation(p.mentor);
    await revokeOpenInvitationsStatement(DB(), p.mentee.id).run();
    expect(await countRows('invitations', 'user_id = ? AND revoked_at IS NOT NULL', p.mentee.id)).toBe(1);
    expect(await countRows('invitations', 'user_id = ? AND redeemed_at IS NOT NULL AND revoked_at IS NULL', p.mentee.id)).toBe(1);
    expect(await countRows('invitations', 'user_id = ? AND revoked_at IS NULL', p.mentor.id)).toBe(1);
  });
});

describe('db/users', () => {
  it('insertUserStatement stores a lowercased email and role defaults; getUser reads it back', async () => {
    const p = await seedProgramme();
    const id = uuid();
    const input = NewUser.parse({ role: 'mentor', name: 'Lin', email: 'Lin@Example.ORG', timeZone: 'Asia/Tokyo', skills: ['sql'] });
    await insertUserStatement(DB(), p.orgId, id, input).run();
    const user = User.parse(await getUser(DB(), id));
    expect(user).toMatchObject({ orgId: p.orgId, email: 'lin@example.org', capacity: 3, skills: ['sql'], workingHours: { startMinute: 540, endMinute: 1020 }, status: 'active' });
    expect(await getUser(DB(), uuid())).toBeNull();
  });

  it('getUser survives tag columns holding something other than a JSON list', async () => {
    const p = await seedProgramme();
    await DB().prepare(`UPDATE users SET skills = 'not json', interests = '{"a":1}', goals = '[1,2]' WHERE id = ?`).bind(p.mentee.id).run();
    expect(await getUser(DB(), p.mentee.id)).toMatchObject({ skills: [], interests: [], goals: [] });
  });

  it('getOrganisation reads the organisation', async () => {
    const p = await seedProgramme();
    expect(await getOrganisation(DB(), p.orgId)).toEqual({ id: p.orgId, name: expect.stringMatching(/^Org /) });
    expect(await getOrganisation(DB(), uuid())).toBeNull();
  });

  it('listUsers lists one organisation by role then name, optionally filtered', async () => {
    const p = await seedProgramme();
    await seedProgramme();
    await seedUser(p.orgId, 'mentee', { name: 'aaa first' });
    const all = await listUsers(DB(), p.orgId);
    expect(all.every((u) => u.orgId === p.orgId)).toBe(true);
    expect(all.map((u) => u.role)).toEqual(['admin', 'mentee', 'mentee', 'mentee', 'mentor']);
    expect(all[1]?.name).toBe('aaa first');
    expect((await listUsers(DB(), p.orgId, 'mentor')).map((u) => u.id)).toEqual([p.mentor.id]);
  });

  it('findUserByEmail matches in any case, within the organisation only', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const email = `${p.mentor.id}@example.org`;
    expect((await findUserByEmail(DB(), p.orgId, email.toUpperCase()))?.id).toBe(p.mentor.id);
    expect(await findUserByEmail(DB(), other.orgId, email)).toBeNull();
  });

  it('updateUserStatement changes the given fields within the organisation only', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const res = await updateUserStatement(DB(), other.orgId, p.mentee.id, { name: 'Hijacked' }).run();
    expect(res.meta.changes).toBe(0);
    await updateUserStatement(DB(), p.orgId, p.mentee.id, { name: 'Renamed', email: 'X@Y.org', capacity: 0 }).run();
    expect(await getUser(DB(), p.mentee.id)).toMatchObject({ name: 'Renamed', email: 'x@y.org', capacity: 0, timeZone: 'Asia/Kolkata' });
  });

  it('updateUserStatement keeps tags that a patch leaves out', async () => {
    const p = await seedProgramme();
    await updateUserStatement(DB(), p.orgId, p.mentee.id, { skills: ['a'], interests: ['b'], goals: ['c'] }).run();
    await updateUserStatement(DB(), p.orgId, p.mentee.id, { name: 'Only the name' }).run();
    expect(await getUser(DB(), p.mentee.id)).toMatchObject({ name: 'Only the name', skills: ['a'], interests: ['b'], goals: ['c'] });
  });

  it('insertUserStatement and updateUserStatement change nothing (instead of failing) on an email already taken', async () => {
    const p = await seedProgramme();
    const taken = `${p.mentor.id}@example.org`;
    const input = NewUser.parse({ role: 'mentee', name: 'Late', email: taken.toUpperCase(), timeZone: 'UTC' });
    const id = uuid();
    expect((await insertUserStatement(DB(), p.orgId, id, input).run()).meta.changes).toBe(0);
    expect(await getUser(DB(), id)).toBeNull();
    expect((await updateUserStatement(DB(), p.orgId, p.mentee.id, { email: taken, name: 'Not applied' }).run()).meta.changes).toBe(0);
    expect(await getUser(DB(), p.mentee.id)).toMatchObject({ email: `${p.mentee.id}@example.org`, name: expect.not.stringMatching('Not applied') });
  });

  it('revokeUserStatements revokes the user, their tokens and open invitations, within the organisation', async () => {
    const p = await seedProgramme();
    await seedInvitation(p.mentee);
    await DB().batch(revokeUserStatements(DB(), p.orgId, p.mentee.id));
    expect((await getUser(DB(), p.mentee.id))?.status).toBe('revoked');
    expect(await countRows('tokens', 'user_id = ? AND revoked_at IS NULL', p.mentee.id)).toBe(0);
    expect(await countRows('invitations', 'user_id = ? AND revoked_at IS NULL', p.mentee.id)).toBe(0);
    expect((await getUser(DB(), p.mentor.id))?.status).toBe('active');
    expect(await findActiveToken(DB(), await sha256Hex(p.mentor.token), NOW())).not.toBeNull();
  });
});

describe('db/pairs', () => {
  it('getPair reads a pair; bad meeting-link JSON reads as no links', async () => {
    const p = await seedProgramme();
    expect(await getPair(DB(), p.pairId)).toMatchObject({ id: p.pairId, orgId: p.orgId, mentorId: p.mentor.id, menteeId: p.mentee.id, meetingLinks: {}, version: 1 });
    await DB().prepare("UPDATE pairs SET meeting_links = '{broken' WHERE id = ?").bind(p.pairId).run();
    expect((await getPair(DB(), p.pairId))?.meetingLinks).toEqual({});
    expect(await getPair(DB(), uuid())).toBeNull();
  });

  it('listPairsOfMember gives each member the pair with the other as partner', async () => {
    const p = await seedProgramme();
    const [asMentor] = await listPairsOfMember(DB(), p.mentor.id);
    expect(PairSummary.parse(asMentor)).toMatchObject({ id: p.pairId, myRole: 'mentor', partner: { id: p.mentee.id, role: 'mentee', timeZone: 'Asia/Kolkata' } });
    const [asMentee] = await listPairsOfMember(DB(), p.mentee.id);
    expect(asMentee).toMatchObject({ myRole: 'mentee', partner: { id: p.mentor.id, role: 'mentor' } });
    expect(await listPairsOfMember(DB(), p.outsider.id)).toEqual([]);
    expect(await listPairsOfMember(DB(), p.admin.id)).toEqual([]);
  });

  it('listPairsOfMember orders by status, then newest start first', async () => {
    const p = await seedProgramme({ startedOn: '2026-01-01' });
    const mk = async (status: string, startedOn: string) => {
      const mentee = await seedUser(p.orgId, 'mentee');
      const id = uuid();
      await insertPairStatement(DB(), { id, orgId: p.orgId, mentorId: p.mentor.id, menteeId: mentee.id, cadence: 'weekly', meetingLinks: {}, startedOn }).run();
      if (status !== 'active') await DB().prepare('UPDATE pairs SET status = ? WHERE id = ?').bind(status, id).run();
      return id;
    };
    const ended = await mk('ended', '2026-06-01');
    const newer = await mk('active', '2026-05-01');
    const paused = await mk('paused', '2025-01-01');
    expect((await listPairsOfMember(DB(), p.mentor.id)).map((x) => x.id)).toEqual([newer, p.pairId, paused, ended]);
  });

  it('getPerson gives only what a partner may see', async () => {
    const p = await seedProgramme();
    const person = await getPerson(DB(), p.mentee.id);
    expect(Object.keys(person ?? {}).sort()).toEqual(['id', 'name', 'role', 'timeZone', 'workingHours']);
    expect(await getPerson(DB(), uuid())).toBeNull();
  });

  it('listOrgPairs and getOrgPair stay inside the organisation and count meetings', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    await seedMeetingRow(p, { startedAt: '2026-10-01T10:00:00.000Z' });
    const last = await seedMeetingRow(p, { startedAt: '2026-10-08T10:00:00.000Z' });
    expect(last).toBeTruthy();
    const pairs = await listOrgPairs(DB(), p.orgId);
    expect(pairs.map((x) => AdminPair.parse(x))).toEqual([expect.objectContaining({ id: p.pairId, meetingCount: 2, lastMeetingAt: '2026-10-08T10:00:00.000Z' })]);
    expect(await listOrgPairs(DB(), p.orgId, 'paused')).toEqual([]);
    expect(await getOrgPair(DB(), other.orgId, p.pairId)).toBeNull();
    expect((await getOrgPair(DB(), p.orgId, p.pairId))?.mentor).toEqual({ id: p.mentor.id, name: expect.any(String), timeZone: 'America/New_York' });
  });

  it('updatePairStatement applies a change only at the expected version and within the organisation', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const today = '2026-11-20';
    expect((await updatePairStatement(DB(), other.orgId, p.pairId, { version: 1, status: 'paused' }, today).run()).meta.changes).toBe(0);
    expect((await updatePairStatement(DB(), p.orgId, p.pairId, { version: 2, status: 'paused' }, today).run()).meta.changes).toBe(0);
    expect((await updatePairStatement(DB(), p.orgId, p.pairId, { version: 1, status: 'ended' }, today).run()).meta.changes).toBe(1);
    expect(await getPair(DB(), p.pairId)).toMatchObject({ status: 'ended', endedOn: today, version: 2, cadence: 'weekly' });
    // Ending again keeps the first end date; other fields change independently.
    await updatePairStatement(DB(), p.orgId, p.pairId, { version: 2, status: 'ended', cadence: 'monthly', meetingLinks: { whereby: 'https://whereby.com/x' } }, '2026-12-01').run();
    expect(await getPair(DB(), p.pairId)).toMatchObject({ endedOn: today, cadence: 'monthly', meetingLinks: { whereby: 'https://whereby.com/x' }, version: 3 });
  });
});

describe('db/goals', () => {
  it('insertGoal writes the goal and its first revision; a retry writes nothing more', async () => {
    const p = await seedProgramme();
    const id = uuid();
    const g = { id, pairId: p.pairId, orgId: p.orgId, ownerId: p.mentee.id, authorId: p.mentor.id, state: state({ progress: 10, dueOn: '2027-01-01' }) };
    await insertGoal(DB(), { ...g, revisionId: uuid() });
    await insertGoal(DB(), { ...g, revisionId: uuid(), state: state({ title: 'Different' }) });
    expect(Goal.parse(await getGoal(DB(), id))).toMatchObject({ title: 'Write a blog post', progress: 10, dueOn: '2027-01-01', version: 1, milestones: [] });
    const history = await listGoalHistory(DB(), id);
    expect(history.map((r) => GoalRevision.parse(r))).toEqual([
      expect.objectContaining({ version: 1, progress: 10, authorId: p.mentor.id, note: 'Created', snapshot: expect.objectContaining({ dueOn: '2027-01-01' }) }),
    ]);
  });

  it('updateGoal changes the goal and adds one revision; a stale version changes and adds nothing', async () => {
    const p = await seedProgramme();
    const id = await goalOf(p);
    expect(await updateGoal(DB(), { id, version: 1, authorId: p.mentee.id, revisionId: uuid(), state: state({ progress: 40 }), note: 'half' })).toBe(true);
    expect(await updateGoal(DB(), { id, version: 1, authorId: p.mentor.id, revisionId: uuid(), state: state({ progress: 90 }), note: 'stale' })).toBe(false);
    expect(await getGoal(DB(), id)).toMatchObject({ progress: 40, version: 2 });
    expect((await listGoalHistory(DB(), id)).map((r) => [r.version, r.progress, r.authorId, r.note])).toEqual([
      [1, 0, p.mentor.id, 'Created'],
      [2, 40, p.mentee.id, 'half'],
    ]);
  });

  it('listGoalsOfPair orders active, paused, completed, dropped, then by due date, with milestones', async () => {
    const p = await seedProgramme();
    const dropped = await goalOf(p, { status: 'dropped' });
    const completed = await goalOf(p, { status: 'completed' });
    const undated = await goalOf(p);
    const later = await goalOf(p, { dueOn: '2027-06-01' });
    const sooner = await goalOf(p, { dueOn: '2027-01-01' });
    const paused = await goalOf(p, { status: 'paused' });
    const m = uuid();
    await insertMilestone(DB(), { id: m, goalId: sooner, pairId: p.pairId, title: 'step', dueOn: null });
    const other = await seedProgramme();
    await goalOf(other);
    const goals = await listGoalsOfPair(DB(), p.pairId);
    expect(goals.map((g) => g.id)).toEqual([sooner, later, undated, paused, completed, dropped]);
    expect(goals[0]?.milestones.map((x) => x.id)).toEqual([m]);
    expect(goals[1]?.milestones).toEqual([]);
  });

  it('listPairGoalHistory gives the history of every goal of one pair', async () => {
    const p = await seedProgramme();
    const a = await goalOf(p);
    const b = await goalOf(p);
    await updateGoal(DB(), { id: a, version: 1, authorId: p.mentor.id, revisionId: uuid(), state: state({ progress: 5 }), note: '' });
    await goalOf(await seedProgramme());
    const history = await listPairGoalHistory(DB(), p.pairId);
    expect(history.map((r) => `${r.goalId === a ? 'a' : r.goalId === b ? 'b' : '?'}${r.version}`).sort()).toEqual(['a1', 'a2', 'b1']);
  });

  it('milestones: insert is idempotent; update checks the version and sets or clears fields', async () => {
    const p = await seedProgramme();
    const goalId = await goalOf(p);
    const id = uuid();
    await insertMilestone(DB(), { id, goalId, pairId: p.pairId, title: 'Draft', dueOn: '2027-01-10' });
    await insertMilestone(DB(), { id, goalId, pairId: p.pairId, title: 'Other', dueOn: null });
    expect(Milestone.extend({ pairId: Milestone.shape.id }).parse(await getMilestone(DB(), id))).toMatchObject({ title: 'Draft', dueOn: '2027-01-10', pairId: p.pairId, version: 1 });

    expect(await updateMilestone(DB(), { id, version: 2, done: true })).toBe(false);
    expect(await updateMilestone(DB(), { id, version: 1, done: true })).toBe(true);
    const done = await getMilestone(DB(), id);
    expect(done).toMatchObject({ title: 'Draft', dueOn: '2027-01-10', version: 2 });
    expect(done?.doneAt).not.toBeNull();
    // Done again keeps the first done time; leaving dueOn out keeps it; null clears it.
    expect(await updateMilestone(DB(), { id, version: 2, done: true, title: 'Final' })).toBe(true);
    expect(await getMilestone(DB(), id)).toMatchObject({ title: 'Final', doneAt: done?.doneAt, dueOn: '2027-01-10', version: 3 });
    expect(await updateMilestone(DB(), { id, version: 3, done: false, dueOn: null })).toBe(true);
    expect(await getMilestone(DB(), id)).toMatchObject({ doneAt: null, dueOn: null, version: 4 });
    expect(await getMilestone(DB(), uuid())).toBeNull();
  });
});

describe('db/audit', () => {
  it('auditIfChangedStatement records only after a statement that changed a row', async () => {
    const p = await seedProgramme();
    const event = { orgId: p.orgId, actorId: p.admin.id, action: 'user.update', targetType: 'user', targetId: p.mentee.id };
    await DB().batch([DB().prepare('UPDATE users SET name = name WHERE id = ?').bind(uuid()), auditIfChangedStatement(DB(), event)]);
    expect(await countRows('audit_log', 'org_id = ?', p.orgId)).toBe(0);
    await DB().batch([DB().prepare('UPDATE users SET name = name WHERE id = ?').bind(p.mentee.id), auditIfChangedStatement(DB(), event)]);
    expect(await countRows('audit_log', 'org_id = ?', p.orgId)).toBe(1);
  });

  it('auditStatement records an action; with a pair version it records only if the pair reached it', async () => {
    const p = await seedProgramme();
    const event = { orgId: p.orgId, actorId: p.admin.id, action: 'pair.update', targetType: 'pair', targetId: p.pairId, detail: { status: 'paused' } };
    await auditStatement(DB(), event).run();
    await auditStatement(DB(), event, 2).run(); // the pair is still at version 1
    await auditStatement(DB(), event, 1).run();
    expect(await countRows('audit_log', 'org_id = ? AND target_id = ?', p.orgId, p.pairId)).toBe(2);
    const row = await DB().prepare('SELECT detail, actor_id FROM audit_log WHERE org_id = ? LIMIT 1').bind(p.orgId).first<{ detail: string; actor_id: string }>();
    expect(JSON.parse(row?.detail ?? '')).toEqual({ status: 'paused' });
    expect(row?.actor_id).toBe(p.admin.id);
  });
});
