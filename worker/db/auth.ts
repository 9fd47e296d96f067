import type { Role } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';

export interface ActiveToken {
  userId: string;
  orgId: string;
  role: Role;
}

/**
 * The signed-in user behind a token, from the token's row alone (one row read): the token carries its user's
 * organisation, role and access, kept by triggers (worker/migrations/0015_lean_hot_writes.sql).
 */
export async function findActiveToken(db: Db, tokenHash: string, now: string): Promise<ActiveToken | null> {
  return db
    .prepare(
      `SELECT user_id AS userId, org_id AS orgId, role
         FROM tokens
        WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ? AND user_active = 1 AND role IS NOT NULL`,
    )
    .bind(tokenHash, now)
    .first<ActiveToken>();
}

export interface OpenInvitation {
  id: string;
  userId: string;
  orgId: string;
  /** The admin who issued it (null for invitations made by scripts). */
  createdBy: string | null;
}

/** An invitation that can still be redeemed: not used, not revoked, not expired, for a user with access. */
export async function findOpenInvitation(db: Db, codeHash: string, now: string): Promise<OpenInvitation | null> {
  return db
    .prepare(
      `SELECT i.id, i.user_id AS userId, i.org_id AS orgId, i.created_by AS createdBy
         FROM invitations i JOIN users u ON u.id = i.user_id
        WHERE i.code_hash = ? AND i.redeemed_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ? AND u.status = 'active'`,
    )
    .bind(codeHash, now)
    .first<OpenInvitation>();
}

export function insertInvitationStatement(
  db: Db,
  inv: { id: string; orgId: string; userId: string; codeHash: string; createdBy: string | null; expiresAt: string },
) {
  return db
    .prepare(
      'INSERT INTO invitations (id, org_id, user_id, code_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .bind(inv.id, inv.orgId, inv.userId, inv.codeHash, inv.createdBy, nowIso(), inv.expiresAt);
}

/**
 * Redeeming marks the invitation used and creates the token in one batch. The `redeemed_at IS NULL` guard makes a
 * concurrent second redemption change nothing; the caller checks that the first statement changed a row.
 * The token records how it was created (issue 8): its public session id, the invitation and the device label.
 */
export function redeemStatements(
  db: Db,
  r: {
    invitationId: string;
    userId: string;
    orgId: string;
    tokenHash: string;
    expiresAt: string;
    /** The session's public id; a new one when not given. */
    sessionId?: string;
    deviceLabel?: string | null;
    now?: string;
  },
) {
  const now = r.now ?? nowIso();
  return [
    db.prepare('UPDATE invitations SET redeemed_at = ? WHERE id = ? AND redeemed_at IS NULL').bind(now, r.invitationId),
    db
      .prepare(
        `INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at, id, invitation_id, device_label)
         SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1`,
      )
      .bind(r.tokenHash, r.userId, r.orgId, now, r.expiresAt, r.sessionId ?? newId(), r.invitationId, r.deviceLabel ?? null),
  ];
}

export async function revokeToken(db: Db, tokenHash: string): Promise<void> {
  await db.prepare('UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').bind(nowIso(), tokenHash).run();
}

export function revokeOpenInvitationsStatement(db: Db, userId: string) {
  return db
    .prepare('UPDATE invitations SET revoked_at = ? WHERE user_id = ? AND redeemed_at IS NULL AND revoked_at IS NULL')
    .bind(nowIso(), userId);
}
