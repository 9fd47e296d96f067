/**
 * Erasure (issue 8, "Erasure"): a member deleting their account, or an admin erasing a person. One D1 batch (D1 has
 * no interactive transactions; a batch is atomic: https://developers.cloudflare.com/d1/worker-api/d1-database/#batch),
 * so either everything below happens or nothing does.
 *
 * The person is replaced by an anonymous placeholder user (new random id, "Erased person", no email, no tags,
 * revoked), which takes their place wherever a record must keep a person for the figures or for the partner: the
 * pair (so meeting counts and ratings stay, without the identity), meetings they logged, ratings they gave. Then
 * their own row is deleted, so their id, name and email are nowhere. Table by table:
 *
 * - users: the person's row is deleted; the placeholder keeps only role and created_at (for counts by role/date).
 * - pairs: every pair of theirs ends (status ended, ended today unless it already had), their side points at the
 *   placeholder, and the meeting links go (a personal meeting room identifies its owner).
 * - goals they own: kept as anonymous rows for the goal figures (status, progress, due date), but their text (the
 *   title shown to the programme too), their milestones' titles and their history's snapshots and notes are erased:
 *   a person's goals are about them.
 * - goal revisions they wrote on the partner's goals: their note goes; the revision (the goal's state) stays.
 * - meetings they logged: kept for the meeting counts, `created_by` is the placeholder; the meeting codes of their
 *   pairs go (a personal meeting id identifies its owner).
 * - entries: their private entries are deleted outright; their shared entries lose body and author and become
 *   tombstones at the head of the pair's shared stream, so the partner's extension removes its copy at its next sync.
 *   The partner's own entries stay (an action they assigned to the person is now the placeholder's).
 * - agenda items they wrote: deleted (the agenda is re-read whole, so no tombstone is needed).
 * - feedback they gave: the rating stays for the figures, as the placeholder's; the comment goes.
 * - tokens and invitations for them: deleted. Invitations they issued as an admin: issued by the placeholder.
 * - idempotency keys: theirs are deleted (the table holds only ids and statuses since migration 0004).
 * - audit log: rows keep the event (action, time, organisation); where the person acted or was the subject, or
 *   the detail names them, the id becomes 'erased' and the detail {"erased":true}, the only change the triggers of
 *   migration 0006 allow.
 * - organisations: a retention setting they made is now the placeholder's.
 * - end-to-end encryption keys (issue 10): their device public keys, every wrapped key addressed to one of their
 *   devices or sent from one, their recovery-key backup and their approval requests are deleted. The partner keeps
 *   the pair key on their own devices (a removal is followed by rotation anyway); the erased person's devices, if
 *   anyone still holds them, are sent nothing more, as their keys are gone from the server.
 * - check-ins: the person's pairs end, so their open proposals and scheduled check-ins are cancelled (by the
 *   placeholder); who proposed, answered or cancelled any check-in is the placeholder (the times stay, for the admin
 *   pair page's scheduled versus held check-ins).
 *
 * Not reachable from here: copies already in the partner's browser until it syncs, text the partner wrote about the
 * person in their own notes, and D1 Time Travel's 30-day point-in-time backups.
 */
import type { Db } from '../env.ts';
import { newId } from '../lib/ids.ts';
import { nowIso, todayIso } from '../lib/time.ts';
import { DATA_RIGHTS_ACTIONS, auditStatement } from './audit.ts';

export const ERASED_NAME = 'Erased person';
/** What the audit-log triggers of migration 0006 allow an erased person's ids and details to become. */
export const ERASED_AUDIT_ID = 'erased';
const ERASED_AUDIT_DETAIL = '{"erased":true}';

/**
 * Every column that may hold a user's id, and what erasure does with it. A meta-test reads the schema and fails
 * when a table references users without an entry here, so a new table cannot be forgotten.
 */
export const ERASURE_COVERAGE: Record<string, Record<string, string>> = {
  users: { id: 'row deleted; an anonymous placeholder row stands in' },
  organisations: { retention_set_by: 'placeholder' },
  pairs: { mentor_id: 'placeholder; pair ended', mentee_id: 'placeholder; pair ended' },
  goals: { owner_id: 'placeholder; text erased' },
  goal_revisions: { author_id: 'placeholder; note erased' },
  meetings: { created_by: 'placeholder' },
  entries: { author_id: 'private deleted; shared become tombstones', action_owner_id: 'placeholder' },
  agenda_items: { author_id: 'deleted' },
  feedback: { author_id: 'placeholder; comment erased' },
  invitations: { user_id: 'deleted', created_by: 'placeholder' },
  tokens: { user_id: 'deleted' },
  idempotency_keys: { user_id: 'deleted' },
  checkins: { proposed_by: 'placeholder; open ones cancelled', responded_by: 'placeholder', cancelled_by: 'placeholder' },
  device_keys: { user_id: 'deleted, with every wrapped key to or from the devices' },
  key_backups: { user_id: 'deleted' },
  device_approvals: { user_id: 'deleted' },
  audit_log: { actor_id: "'erased'", target_id: "'erased'; detail {\"erased\":true}" },
};

export interface ErasureTarget {
  id: string;
  orgId: string;
  name: string;
  email: string;
}

export interface ErasureOutcome {
  placeholderId: string;
  pairsEnded: number;
  entriesDeleted: number;
}

/**
 * Erases `person`. `by` is the admin doing it, or 'self' when the person deletes their own account (the erasure's
 * own audit row then names no actor). Returns what it did, for the answer and the audit row.
 */
export async function erasePerson(db: Db, person: ErasureTarget, by: { adminId: string } | 'self'): Promise<ErasureOutcome> {
  const counts = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM pairs WHERE (mentor_id = ?1 OR mentee_id = ?1) AND status <> 'ended') AS pairs,
              (SELECT COUNT(*) FROM entries WHERE author_id = ?1 AND deleted_at IS NULL) AS entries`,
    )
    .bind(person.id)
    .first<{ pairs: number; entries: number }>();
  const outcome: ErasureOutcome = { placeholderId: newId(), pairsEnded: counts?.pairs ?? 0, entriesDeleted: counts?.entries ?? 0 };
  await db.batch([
    ...erasureStatements(db, person, outcome.placeholderId, nowIso(), todayIso()),
    auditStatement(db, {
      orgId: person.orgId,
      actorId: by === 'self' ? ERASED_AUDIT_ID : by.adminId,
      action: DATA_RIGHTS_ACTIONS.erase,
      targetType: 'user',
      targetId: outcome.placeholderId,
      detail: { by: by === 'self' ? 'self' : 'admin', pairsEnded: outcome.pairsEnded, entriesDeleted: outcome.entriesDeleted },
    }),
  ]);
  return outcome;
}

/** The statements of one erasure, in an order the foreign keys accept (placeholder first, the person's row last). */
export function erasureStatements(db: Db, person: ErasureTarget, placeholderId: string, now: string, today: string) {
  const old = person.id;
  const ph = placeholderId;
  // The name as it appears inside JSON text; names shorter than 3 characters would match unrelated words.
  const jsonName = JSON.stringify(person.name).slice(1, -1);
  const nameNeedle = jsonName.length >= 3 ? jsonName : null;
  const s = (sql: string, ...params: unknown[]) => db.prepare(sql).bind(...params);
  // Statements of this person's pairs run before the pairs change, while `old` still names them.
  const myPairs = '(SELECT id FROM pairs WHERE mentor_id = ?1 UNION ALL SELECT id FROM pairs WHERE mentee_id = ?1)';
  return [
    s(
      `INSERT INTO users (id, org_id, role, name, email, time_zone, skills, interests, goals, capacity, status, created_at, updated_at)
       SELECT ?2, org_id, role, ?3, 'erased-' || ?2 || '@erased.invalid', 'UTC', '[]', '[]', '[]', 0, 'revoked', created_at, ?4
         FROM users WHERE id = ?1`,
      old,
      ph,
      ERASED_NAME,
      now,
    ),
    // ---- the person's pairs: meeting codes go, then the pair ends with the placeholder in the person's place
    s(`UPDATE meetings SET meeting_code = NULL WHERE pair_id IN ${myPairs}`, old),
    s(
      `UPDATE pairs SET mentor_id = CASE WHEN mentor_id = ?1 THEN ?2 ELSE mentor_id END,
                        mentee_id = CASE WHEN mentee_id = ?1 THEN ?2 ELSE mentee_id END,
                        status = 'ended', ended_on = COALESCE(ended_on, ?4), meeting_links = '{}',
                        version = version + 1, updated_at = ?3
        WHERE mentor_id = ?1 OR mentee_id = ?1`,
      old,
      ph,
      now,
      today,
    ),
    s('UPDATE meetings SET created_by = ?2 WHERE created_by = ?1', old, ph),
    // ---- check-ins: the pairs have ended (above), so nothing stays open; then the person's name goes from every row
    s(
      `UPDATE checkins SET status = 'cancelled', cancelled_by = ?1, cancelled_at = ?2, version = version + 1, updated_at = ?2
        WHERE status IN ('proposed', 'scheduled') AND pair_id IN (SELECT id FROM pairs WHERE mentor_id = ?1 UNION ALL SELECT id FROM pairs WHERE mentee_id = ?1)`,
      ph,
      now,
    ),
    s('UPDATE checkins SET proposed_by = ?2 WHERE proposed_by = ?1', old, ph),
    s('UPDATE checkins SET responded_by = ?2 WHERE responded_by = ?1', old, ph),
    s('UPDATE checkins SET cancelled_by = ?2 WHERE cancelled_by = ?1', old, ph),
    // ---- goals the person owns: anonymous rows for the figures, no text
    s(
      `UPDATE goal_revisions SET note = '',
              snapshot = json_object('title', '(erased)', 'specific', '', 'measure', '', 'target', '', 'relevance', '', 'dueOn', json_extract(snapshot, '$.dueOn'))
        WHERE goal_id IN (SELECT id FROM goals WHERE owner_id = ?1)`,
      old,
    ),
    s(`UPDATE milestones SET title = '(erased)', updated_at = ?2 WHERE goal_id IN (SELECT id FROM goals WHERE owner_id = ?1)`, old, now),
    s(
      `UPDATE goals SET owner_id = ?2, title = '(erased)', specific = '', measure = '', target = '', relevance = '', programme_title = NULL,
              version = version + 1, updated_at = ?3
        WHERE owner_id = ?1`,
      old,
      ph,
      now,
    ),
    s(`UPDATE goal_revisions SET author_id = ?2, note = '' WHERE author_id = ?1`, old, ph),
    // ---- entries: private ones deleted; shared ones become tombstones at the head of the pair's streams: each takes
    // the pair's highest number (read before any row changes: the window function materialises the FROM) plus its
    // rank, so the numbers stay unique at every step and the partner's next pull sees every tombstone.
    s(`DELETE FROM entries WHERE author_id = ?1 AND visibility = 'private'`, old),
    s(
      `UPDATE entries SET body = '', author_id = ?2, deleted_at = COALESCE(entries.deleted_at, ?3), updated_at = ?3,
              version = entries.version + 1, private_seq = NULL, change_seq = r.change_base + r.rank, shared_seq = r.shared_base + r.rank
         FROM (SELECT e.id, ROW_NUMBER() OVER (PARTITION BY e.pair_id ORDER BY e.change_seq) AS rank,
                      (SELECT MAX(x.change_seq) FROM entries x WHERE x.pair_id = e.pair_id) AS change_base,
                      (SELECT COALESCE(MAX(x.shared_seq), 0) FROM entries x WHERE x.pair_id = e.pair_id) AS shared_base
                 FROM entries e WHERE e.author_id = ?1) AS r
        WHERE entries.id = r.id`,
      old,
      ph,
      now,
    ),
    s('UPDATE entries SET action_owner_id = ?2 WHERE action_owner_id = ?1', old, ph),
    s('DELETE FROM agenda_items WHERE author_id = ?1', old),
    s(`UPDATE feedback SET author_id = ?2, comment = '' WHERE author_id = ?1`, old, ph),
    // ---- sign-ins (tokens reference invitations, so they go first)
    s('DELETE FROM tokens WHERE user_id = ?1', old),
    s('DELETE FROM invitations WHERE user_id = ?1', old),
    s('UPDATE invitations SET created_by = ?2 WHERE created_by = ?1', old, ph),
    s('DELETE FROM idempotency_keys WHERE user_id = ?1', old),
    // ---- end-to-end encryption keys (records reference devices, so they go first)
    s(
      `DELETE FROM wrapped_keys
        WHERE recipient_device_key_id IN (SELECT device_key_id FROM device_keys WHERE user_id = ?1)
           OR sender_device_key_id IN (SELECT device_key_id FROM device_keys WHERE user_id = ?1)`,
      old,
    ),
    s('DELETE FROM device_approvals WHERE user_id = ?1', old),
    s('DELETE FROM device_keys WHERE user_id = ?1', old),
    s('DELETE FROM key_backups WHERE user_id = ?1', old),
    s('UPDATE organisations SET retention_set_by = ?2 WHERE retention_set_by = ?1', old, ph),
    // ---- audit log: the event stays, the person goes (the only changes migration 0006's triggers allow)
    s(`UPDATE audit_log SET actor_id = ?3 WHERE org_id = ?2 AND actor_id = ?1`, old, person.orgId, ERASED_AUDIT_ID),
    s(`UPDATE audit_log SET target_id = ?3, detail = ?4 WHERE org_id = ?2 AND target_id = ?1`, old, person.orgId, ERASED_AUDIT_ID, ERASED_AUDIT_DETAIL),
    s(
      `UPDATE audit_log SET detail = ?5
        WHERE org_id = ?2 AND detail <> ?5
          AND (instr(detail, ?1) > 0 OR instr(lower(detail), lower(?3)) > 0 OR (?4 IS NOT NULL AND instr(lower(detail), lower(?4)) > 0))`,
      old,
      person.orgId,
      person.email,
      nameNeedle,
      ERASED_AUDIT_DETAIL,
    ),
    s('DELETE FROM users WHERE id = ?1', old),
  ];
}
