import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Invitation, MeResponse, RedeemResponse } from '../../shared/schemas/index.ts';
import { sha256Hex } from '../../worker/lib/crypto.ts';
import {
  call,
  countRows,
  db,
  deadCredentials,
  expectError,
  expectJson,
  orgSnapshot,
  seedInvitation,
  seedProgramme,
  seedToken,
  seedUser,
  type Programme,
} from './helpers.ts';

const past = () => new Date(Date.now() - 60_000).toISOString();

/** An invitation made the way an admin makes one: through POST /admin/invitations (seeded people are signed in: a reason). */
async function inviteViaAdmin(p: Programme, userId: string) {
  const res = await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body: { userId, reason: 'Lost their laptop' } });
  return Invitation.parse((await expectJson<{ invitation: unknown }>(res, 201)).invitation);
}

const redeem = (code: unknown) => call('POST', '/api/v1/auth/redeem', { body: { code } });

describe('POST /api/v1/auth/redeem', () => {
  it.each([
    ['the bare code', (i: Invitation) => i.code],
    ['the full link', (i: Invitation) => i.link],
    ['the link with a trailing slash and a query', (i: Invitation) => `${i.link}/?utm_source=mail`],
    ['the code with surrounding spaces', (i: Invitation) => `  ${i.code}\n`],
  ])('signs in with %s of an invitation created by an admin', async (_label, input) => {
    const p = await seedProgramme();
    const invitation = await inviteViaAdmin(p, p.mentee.id);

    const body = RedeemResponse.parse(await expectJson(await redeem(input(invitation)), 201));
    expect(body.user).toMatchObject({ id: p.mentee.id, orgId: p.orgId, role: 'mentee', status: 'active' });
    expect(body.organisation.id).toBe(p.orgId);
    // The default TOKEN_TTL_DAYS is 30.
    const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const me = MeResponse.parse(await expectJson(await call('GET', '/api/v1/auth/me', { token: body.token }), 200));
    expect(me.user.id).toBe(p.mentee.id);
    expect(await countRows('invitations', 'id = ? AND redeemed_at IS NOT NULL', invitation.id)).toBe(1);
  });

  it('stores the token and the invitation code only as SHA-256 hashes', async () => {
    const p = await seedProgramme();
    const invitation = await inviteViaAdmin(p, p.mentee.id);
    const { token } = RedeemResponse.parse(await expectJson(await redeem(invitation.code), 201));

    const { results: tokens } = await db().prepare('SELECT token_hash FROM tokens WHERE user_id = ?').bind(p.mentee.id).all<{ token_hash: string }>();
    // The seeded token and the new one; every stored value is a 64-hex digest, one of them the new token's.
    expect(tokens).toHaveLength(2);
    for (const { token_hash } of tokens) {
      expect(token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(token_hash).not.toBe(token);
    }
    expect(tokens.map((t) => t.token_hash)).toContain(await sha256Hex(token));
    // Neither the token nor the code appears anywhere in the organisation's rows.
    const everything = JSON.stringify(await orgSnapshot(p.orgId));
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(invitation.code);
    const inv = await db().prepare('SELECT code_hash FROM invitations WHERE id = ?').bind(invitation.id).first<{ code_hash: string }>();
    expect(inv?.code_hash).toBe(await sha256Hex(invitation.code));
  });

  it('refuses a second redemption of the same invitation', async () => {
    const p = await seedProgramme();
    const invitation = await inviteViaAdmin(p, p.mentee.id);
    await expectJson(await redeem(invitation.code), 201);
    const before = await countRows('tokens', 'user_id = ?', p.mentee.id);

    await expectError(await redeem(invitation.code), 401, 'unauthenticated');
    await expectError(await redeem(invitation.link), 401, 'unauthenticated');
    expect(await countRows('tokens', 'user_id = ?', p.mentee.id)).toBe(before);
  });

  it('lets only one of two simultaneous redemptions of the same code succeed', async () => {
    const p = await seedProgramme();
    const invitation = await inviteViaAdmin(p, p.outsider.id);
    const results = await Promise.all([redeem(invitation.code), redeem(invitation.link), redeem(invitation.code)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 401, 401]);
    // The seeded token plus exactly one from the redemption.
    expect(await countRows('tokens', 'user_id = ?', p.outsider.id)).toBe(2);
  });

  it.each([
    ['expired', { expiresAt: past() }],
    ['revoked', { revokedAt: past() }],
    ['already redeemed', { redeemedAt: past() }],
  ])('refuses an %s invitation', async (_label, opts) => {
    const p = await seedProgramme();
    const code = await seedInvitation(p.mentee, opts);
    const before = await orgSnapshot(p.orgId);
    await expectError(await redeem(code), 401, 'unauthenticated');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses an unknown code and the invitation of a person whose access was revoked', async () => {
    const p = await seedProgramme();
    const code = await seedInvitation(p.outsider);
    await expectJson(await call('POST', `/api/v1/admin/users/${p.outsider.id}/revoke`, { token: p.admin.token }), 200);
    await expectError(await redeem(code), 401, 'unauthenticated');
    await expectError(await redeem('x'.repeat(43)), 401, 'unauthenticated');
    expect(await countRows('tokens', 'user_id = ? AND revoked_at IS NULL', p.outsider.id)).toBe(0);
  });

  it.each([
    ['no code', {}],
    ['a code that is too short', { code: 'abc' }],
    ['a code that is too long', { code: 'a'.repeat(201) }],
    ['a code that is not a string', { code: 12345678901234567890 }],
    ['a body that is not an object', ['code']],
  ])('answers 400 with issues for %s', async (_label, body) => {
    const p = await seedProgramme();
    await seedInvitation(p.mentee);
    const before = await countRows('tokens');
    const err = await expectError(await call('POST', '/api/v1/auth/redeem', { body }), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await countRows('tokens')).toBe(before);
  });

  it('answers malformed JSON with the 400 envelope', async () => {
    const err = await expectError(
      await call('POST', '/api/v1/auth/redeem', { rawBody: '{"code": "abc', headers: { 'content-type': 'application/json' } }),
      400,
      'invalid_input',
    );
    expect(err.error.message).toMatch(/json/i);
  });

  it('answers a body over 64 KB with 413 and redeems nothing', async () => {
    const p = await seedProgramme();
    const code = await seedInvitation(p.mentee);
    const res = await call('POST', '/api/v1/auth/redeem', { body: { code, padding: 'x'.repeat(65 * 1024) } });
    await expectError(res, 413, 'payload_too_large');
    expect(await countRows('tokens', 'user_id = ?', p.mentee.id)).toBe(1);
    // The invitation is still open: the oversized request did not consume it.
    await expectJson(await redeem(code), 201);
  });
});

describe('GET /api/v1/auth/me', () => {
  it.each(['admin', 'mentor', 'mentee'] as const)('returns the %s and their organisation', async (role) => {
    const p = await seedProgramme();
    const me = MeResponse.parse(await expectJson(await call('GET', '/api/v1/auth/me', { token: p[role].token }), 200));
    expect(me.user).toMatchObject({ id: p[role].id, role, orgId: p.orgId });
    expect(me.organisation.id).toBe(p.orgId);
  });
});

describe('POST /api/v1/auth/signout', () => {
  it('revokes only the token it was sent with', async () => {
    const p = await seedProgramme();
    const otherDevice = await seedToken(p.mentor);
    expect(await expectJson(await call('POST', '/api/v1/auth/signout', { token: p.mentor.token }), 200)).toEqual({ ok: true });

    await expectError(await call('GET', '/api/v1/auth/me', { token: p.mentor.token }), 401, 'unauthenticated');
    await expectError(await call('GET', '/api/v1/pairs', { token: p.mentor.token }), 401, 'unauthenticated');
    await expectError(await call('POST', '/api/v1/auth/signout', { token: p.mentor.token }), 401, 'unauthenticated');
    await expectJson(await call('GET', '/api/v1/auth/me', { token: otherDevice }), 200);
    expect(await countRows('tokens', 'user_id = ? AND revoked_at IS NOT NULL', p.mentor.id)).toBe(1);
  });
});

describe('authentication of /auth routes', () => {
  const routes = [
    ['GET', '/api/v1/auth/me'],
    ['POST', '/api/v1/auth/signout'],
  ] as const;

  it.each(routes)('%s %s refuses every dead credential with 401', async (method, path) => {
    const p = await seedProgramme();
    const credentials = await deadCredentials(p.mentee);
    const before = await orgSnapshot(p.orgId);
    for (const { label, token } of credentials) {
      const err = await expectError(await call(method, path, { token }), 401, 'unauthenticated');
      expect(err.error.message, label).toBeTruthy();
    }
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each([
    ['a Basic scheme', (t: string) => `Basic ${t}`],
    ['a lowercase scheme without the space', (t: string) => `bearer${t}`],
    ['a token with forbidden characters', (t: string) => `Bearer ${t.slice(0, 30)}!$%`],
    ['an empty bearer', () => 'Bearer '],
  ])('refuses an Authorization header with %s', async (_label, header) => {
    const p = await seedProgramme();
    await expectError(await call('GET', '/api/v1/auth/me', { headers: { authorization: header(p.mentor.token) } }), 401, 'unauthenticated');
  });

  it('refuses the tokens of a person once an admin revokes their access', async () => {
    const p = await seedProgramme();
    const secondToken = await seedToken(p.mentee);
    await expectJson(await call('GET', '/api/v1/auth/me', { token: p.mentee.token }), 200);
    await expectJson(await call('POST', `/api/v1/admin/users/${p.mentee.id}/revoke`, { token: p.admin.token }), 200);
    for (const token of [p.mentee.token, secondToken]) {
      await expectError(await call('GET', '/api/v1/auth/me', { token }), 401, 'unauthenticated');
      await expectError(await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token }), 401, 'unauthenticated');
    }
  });

  it('refuses a token of a revoked user even if the token row itself was never revoked', async () => {
    const p = await seedProgramme();
    await db().prepare("UPDATE users SET status = 'revoked' WHERE id = ?").bind(p.mentor.id).run();
    await expectError(await call('GET', '/api/v1/auth/me', { token: p.mentor.token }), 401, 'unauthenticated');
  });

  it('reads the token alone, which follows its user: access given back, a new role (0015_lean_hot_writes.sql)', async () => {
    const p = await seedProgramme();
    const me = async () => MeResponse.parse(await expectJson(await call('GET', '/api/v1/auth/me', { token: p.mentor.token }), 200));
    await db().prepare("UPDATE users SET status = 'revoked' WHERE id = ?").bind(p.mentor.id).run();
    await expectError(await call('GET', '/api/v1/auth/me', { token: p.mentor.token }), 401, 'unauthenticated');
    await db().prepare("UPDATE users SET status = 'active' WHERE id = ?").bind(p.mentor.id).run();
    expect((await me()).user.role).toBe('mentor');
    await db().prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(p.mentor.id).run();
    expect((await me()).user.role).toBe('admin');
    expect((await call('GET', '/api/v1/admin/dashboard', { token: p.mentor.token })).status).toBe(200);
  });

  it('gives tokens made before migration 0015 their user’s organisation, role and access', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const backfill = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0015_'))?.queries.find((q) => q.includes('UPDATE tokens SET org_id'));
    expect(backfill).toBeDefined();
    // as a token row was before the migration: no role, no access, and (by hand or an old script) another organisation
    await db().prepare('UPDATE tokens SET org_id = ?, role = NULL, user_active = 0 WHERE user_id = ?').bind(other.orgId, p.mentee.id).run();
    await expectError(await call('GET', '/api/v1/auth/me', { token: p.mentee.token }), 401, 'unauthenticated');
    await db().prepare(backfill ?? '').run();
    const me = MeResponse.parse(await expectJson(await call('GET', '/api/v1/auth/me', { token: p.mentee.token }), 200));
    expect(me).toMatchObject({ user: { id: p.mentee.id, role: 'mentee' }, organisation: { id: p.orgId } });
  });

  it('does not let a token of another organisation see this one', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const stranger = await seedUser(other.orgId, 'mentee');
    const me = MeResponse.parse(await expectJson(await call('GET', '/api/v1/auth/me', { token: stranger.token }), 200));
    expect(me.organisation.id).toBe(other.orgId);
    expect(JSON.stringify(me)).not.toContain(p.orgId);
  });
});
