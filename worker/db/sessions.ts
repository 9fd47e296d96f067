/**
 * Sessions (bearer tokens) as their owner sees them: how each was created (which invitation, issued by whom, on
 * which device) and which ones are new to the person. Issue 8, defect 1: a re-issued invitation must never become
 * a silent way into someone's account.
 */
import type { MySession } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

/** Ended and expired sessions stay listed while they are new to the person (an admin may have signed out already). */
const MAX_LISTED = 100;

interface SessionRow {
  id: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  deviceLabel: string | null;
  invitationId: string | null;
  invitationCreatedAt: string | null;
  issuerId: string | null;
  issuerName: string | null;
}

export async function getSignInsSeenAt(db: Db, userId: string): Promise<string | null> {
  const row = await db.prepare('SELECT sign_ins_seen_at AS seenAt FROM users WHERE id = ?').bind(userId).first<{ seenAt: string | null }>();
  return row?.seenAt ?? null;
}

/** The person's active sessions, plus ended or expired ones created after `seenAt` (still to be acknowledged). */
export async function listMySessions(db: Db, userId: string, currentTokenHash: string, now = nowIso()): Promise<{ sessions: MySession[]; acknowledgedAt: string | null }> {
  const seenAt = await getSignInsSeenAt(db, userId);
  const { results } = await db
    .prepare(
      `SELECT t.id, t.token_hash AS tokenHash, t.created_at AS createdAt, t.expires_at AS expiresAt, t.revoked_at AS revokedAt,
              t.device_label AS deviceLabel, i.id AS invitationId, i.created_at AS invitationCreatedAt,
              a.id AS issuerId, a.name AS issuerName
         FROM tokens t
         LEFT JOIN invitations i ON i.id = t.invitation_id
         LEFT JOIN users a ON a.id = i.created_by
        WHERE t.user_id = ?1
          AND ((t.revoked_at IS NULL AND t.expires_at > ?2) OR t.created_at > COALESCE(?3, ''))
        ORDER BY t.created_at DESC, t.id DESC
        LIMIT ${MAX_LISTED}`,
    )
    .bind(userId, now, seenAt)
    .all<SessionRow>();
  const sessions = results.map((r): MySession => {
    const current = r.tokenHash === currentTokenHash;
    return {
      id: r.id,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      endedAt: r.revokedAt,
      active: r.revokedAt === null && r.expiresAt > now,
      current,
      isNew: !current && r.createdAt > (seenAt ?? ''),
      deviceLabel: r.deviceLabel,
      invitation:
        r.invitationId && r.invitationCreatedAt
          ? { id: r.invitationId, createdAt: r.invitationCreatedAt, issuedBy: r.issuerId && r.issuerName !== null ? { id: r.issuerId, name: r.issuerName } : null }
          : null,
    };
  });
  return { sessions, acknowledgedAt: seenAt };
}

/**
 * Ends one of the person's sessions. `null`: no such session of theirs (another person's id is "not found" too).
 * Ending one that already ended changes nothing and is not an error.
 */
export async function endMySession(db: Db, userId: string, sessionId: string): Promise<{ tokenHash: string; changed: boolean } | null> {
  const row = await db.prepare('SELECT token_hash AS tokenHash FROM tokens WHERE id = ? AND user_id = ?').bind(sessionId, userId).first<{ tokenHash: string }>();
  if (!row) return null;
  const result = await db
    .prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL')
    .bind(nowIso(), sessionId, userId)
    .run();
  return { tokenHash: row.tokenHash, changed: result.meta.changes > 0 };
}

/** Marks every sign-in up to now as seen; never moves the mark backwards. */
export async function acknowledgeSignIns(db: Db, userId: string, at = nowIso()): Promise<string> {
  const row = await db
    .prepare('UPDATE users SET sign_ins_seen_at = MAX(COALESCE(sign_ins_seen_at, \'\'), ?) WHERE id = ? RETURNING sign_ins_seen_at AS seenAt')
    .bind(at, userId)
    .first<{ seenAt: string }>();
  return row?.seenAt ?? at;
}

/** Active sessions of a person: when an admin invites them, a count above 0 makes it a re-invitation. */
export async function activeSessionSummary(db: Db, userId: string, now = nowIso()): Promise<{ activeSessions: number; lastSignInAt: string | null }> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n, MAX(created_at) AS lastSignInAt FROM tokens WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
    )
    .bind(userId, now)
    .first<{ n: number; lastSignInAt: string | null }>();
  return { activeSessions: row?.n ?? 0, lastSignInAt: row?.lastSignInAt ?? null };
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\//, 'Firefox'],
  [/\bChrom(?:e|ium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * A short device label from the User-Agent at sign-in ("Chrome on macOS"), or the start of the header when it is
 * not a browser we recognise. Truncated: it is shown, never parsed again, and the full header is not kept.
 */
export function deviceLabel(userAgent: string | undefined): string | null {
  const ua = (userAgent ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!ua) return null;
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser || system) return [browser ?? 'Browser', system].filter(Boolean).join(' on ');
  return ua.length > 60 ? `${ua.slice(0, 59)}…` : ua;
}
