/**
 * Issue 8, defect 1: an admin could re-issue an invitation for a member, redeem it and read the member's private
 * notes, silently. Now a re-invitation needs an audited reason, every session records how it was created, and the
 * person sees and can end every sign-in on their account.
 */
import { describe, expect, it } from 'vitest';
import { MySessionsResponse } from '../../shared/schemas/index.ts';
import { sha256Hex } from '../../worker/lib/crypto.ts';
import { call, countRows, db, expectError, expectJson, seedEntryRow, seedProgramme, uuid, type Programme } from './helpers.ts';

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

async function adminName(p: Programme): Promise<string> {
  const row = await db().prepare('SELECT name FROM users WHERE id = ?').bind(p.admin.id).first<{ name: string }>();
  return row?.name ?? '';
}

/** The admin re-invites the (signed-in) mentee with a reason and redeems the code from a browser. */
async function adminSignsInAsMentee(p: Programme): Promise<{ token: string; invitationId: string }> {
  const invited = await expectJson<{ invitation: { id: string; code: string; reinvitation: boolean } }>(
    await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body: { userId: p.mentee.id, reason: 'Lost their phone' } }),
    201,
  );
  expect(invited.invitation.reinvitation).toBe(true);
  const redeemed = await expectJson<{ token: string }>(
    await call('POST', '/api/v1/auth/redeem', { body: { code: invited.invitation.code }, headers: { 'user-agent': CHROME_MAC } }),
    201,
  );
  return { token: redeemed.token, invitationId: invited.invitation.id };
}

const sessionsOf = async (token: string) => MySessionsResponse.parse(await expectJson(await call('GET', '/api/v1/me/sessions', { token }), 200));

describe('re-invitations (POST /api/v1/admin/invitations)', () => {
  it('refuses to re-invite a signed-in person without a reason: 400 naming `reason`, nothing stored', async () => {
    const p = await seedProgramme();
    for (const body of [{ userId: p.mentee.id }, { userId: p.mentee.id, reason: '  ' }]) {
      const err = await expectError(await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body }), 400, 'invalid_input');
      expect(err.error.issues?.[0]?.path).toEqual(['reason']);
    }
    expect(await countRows('invitations', 'org_id = ?', p.orgId)).toBe(0);
    expect(await countRows('audit_log', 'org_id = ?', p.orgId)).toBe(0);
  });

  it('issues a re-invitation with a reason, marked and audited with that reason', async () => {
    const p = await seedProgramme();
    const status = await expectJson<{ reinvitation: boolean; activeSessions: number }>(
      await call('GET', `/api/v1/admin/users/${p.mentee.id}/invitation-status`, { token: p.admin.token }),
      200,
    );
    expect(status).toMatchObject({ reinvitation: true, activeSessions: 1 });
    const { invitationId } = await adminSignsInAsMentee(p);
    const row = await db()
      .prepare("SELECT actor_id, detail FROM audit_log WHERE org_id = ? AND action = 'invitation.reinvite' AND target_id = ?")
      .bind(p.orgId, p.mentee.id)
      .first<{ actor_id: string; detail: string }>();
    expect(row?.actor_id).toBe(p.admin.id);
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({ reinvitation: true, reason: 'Lost their phone', invitationId });
  });

  it('a first invitation (no active session) needs no reason and is not marked as a re-invitation', async () => {
    const p = await seedProgramme();
    await db().prepare('UPDATE tokens SET revoked_at = ? WHERE user_id = ?').bind(new Date().toISOString(), p.mentee.id).run();
    const res = await expectJson<{ invitation: { reinvitation: boolean } }>(
      await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body: { userId: p.mentee.id } }),
      201,
    );
    expect(res.invitation.reinvitation).toBe(false);
    expect(await countRows('audit_log', "org_id = ? AND action = 'invitation.create'", p.orgId)).toBe(1);
  });
});

describe('sessions of the signed-in person (GET/DELETE /api/v1/me/sessions)', () => {
  it('shows the mentee the sign-in an admin made, with the invitation, its issuer and the device', async () => {
    const p = await seedProgramme();
    const { token: adminAsMentee, invitationId } = await adminSignsInAsMentee(p);
    const { sessions, acknowledgedAt } = await sessionsOf(p.mentee.token);
    expect(acknowledgedAt).toBeNull();
    expect(sessions).toHaveLength(2);
    const own = sessions.find((s) => s.current);
    const other = sessions.find((s) => !s.current);
    expect(own?.isNew).toBe(false);
    expect(other).toMatchObject({
      active: true,
      isNew: true,
      endedAt: null,
      deviceLabel: 'Chrome on macOS',
      invitation: { id: invitationId, issuedBy: { id: p.admin.id, name: await adminName(p) } },
    });
    // The session id is its own: neither the token nor its hash appears anywhere in the answer.
    const text = JSON.stringify(sessions);
    for (const secret of [adminAsMentee, await sha256Hex(adminAsMentee), await sha256Hex(p.mentee.token)]) expect(text).not.toContain(secret);
    // The admin audit log records the sign-in with the invitation and its issuer.
    const audit = await db()
      .prepare("SELECT detail FROM audit_log WHERE org_id = ? AND action = 'session.create' AND target_id = ?")
      .bind(p.orgId, p.mentee.id)
      .first<{ detail: string }>();
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ invitationId, issuedById: p.admin.id, sessionId: other?.id, device: 'Chrome on macOS' });
  });

  it('lets the mentee end that session: the admin can no longer read anything, and it stays listed until acknowledged', async () => {
    const p = await seedProgramme();
    await seedEntryRow(p, { body: 'my private worry', visibility: 'private' });
    const { token: adminAsMentee } = await adminSignsInAsMentee(p);
    expect((await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: adminAsMentee })).status).toBe(200);
    const other = (await sessionsOf(p.mentee.token)).sessions.find((s) => !s.current);
    if (!other) throw new Error('no other session');

    const ended = await expectJson(await call('DELETE', `/api/v1/me/sessions/${other.id}`, { token: p.mentee.token }), 200);
    expect(ended).toEqual({ ok: true, endedCurrent: false });
    await expectError(await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: adminAsMentee }), 401, 'unauthenticated');
    // Ending it again changes nothing and is not an error.
    await expectJson(await call('DELETE', `/api/v1/me/sessions/${other.id}`, { token: p.mentee.token }), 200);
    expect(await countRows('audit_log', "org_id = ? AND action = 'session.end'", p.orgId)).toBe(1);

    const after = (await sessionsOf(p.mentee.token)).sessions.find((s) => s.id === other.id);
    expect(after).toMatchObject({ active: false, isNew: true });
    expect(after?.endedAt).not.toBeNull();

    const ack = await expectJson<{ acknowledgedAt: string }>(await call('POST', '/api/v1/me/sessions/acknowledge', { token: p.mentee.token }), 200);
    const seen = await sessionsOf(p.mentee.token);
    expect(seen.acknowledgedAt).toBe(ack.acknowledgedAt);
    expect(seen.sessions.map((s) => s.id)).not.toContain(other.id); // ended and seen: no longer listed
    expect(seen.sessions.every((s) => !s.isNew)).toBe(true);
  });

  it('shows a sign-in as new on every device until acknowledged, even after that session was signed out', async () => {
    const p = await seedProgramme();
    const { token: adminAsMentee } = await adminSignsInAsMentee(p);
    await expectJson(await call('POST', '/api/v1/auth/signout', { token: adminAsMentee }), 200);
    const { sessions } = await sessionsOf(p.mentee.token);
    expect(sessions.filter((s) => s.isNew)).toHaveLength(1);
  });

  it('ending the current session signs this device out', async () => {
    const p = await seedProgramme();
    const own = (await sessionsOf(p.mentee.token)).sessions.find((s) => s.current);
    const res = await expectJson(await call('DELETE', `/api/v1/me/sessions/${own?.id}`, { token: p.mentee.token }), 200);
    expect(res).toEqual({ ok: true, endedCurrent: true });
    await expectError(await call('GET', '/api/v1/me/sessions', { token: p.mentee.token }), 401, 'unauthenticated');
  });

  it("answers 404 for someone else's session and 400 for a malformed id, changing nothing", async () => {
    const p = await seedProgramme();
    const mentorSession = (await sessionsOf(p.mentor.token)).sessions[0];
    await expectError(await call('DELETE', `/api/v1/me/sessions/${mentorSession?.id}`, { token: p.mentee.token }), 404, 'not_found');
    await expectError(await call('DELETE', `/api/v1/me/sessions/${uuid()}`, { token: p.mentee.token }), 404, 'not_found');
    await expectError(await call('DELETE', '/api/v1/me/sessions/not-an-id', { token: p.mentee.token }), 400, 'invalid_input');
    expect(await countRows('tokens', 'org_id = ? AND revoked_at IS NOT NULL', p.orgId)).toBe(0);
    expect((await call('GET', '/api/v1/me/sessions', { token: p.mentor.token })).status).toBe(200);
  });

  it('needs a live token', async () => {
    await expectError(await call('GET', '/api/v1/me/sessions'), 401, 'unauthenticated');
    await expectError(await call('POST', '/api/v1/me/sessions/acknowledge'), 401, 'unauthenticated');
    await expectError(await call('DELETE', `/api/v1/me/sessions/${uuid()}`), 401, 'unauthenticated');
  });
});
