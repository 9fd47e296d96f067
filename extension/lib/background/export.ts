/**
 * The member's export, readable (issue 8 "Export", issue 10): the server's JSON holds the notes as it stores them,
 * sealed once a pair is end-to-end encrypted. This device opens every field it can and renders the Markdown itself
 * (shared/domain/export-markdown.ts); a field it cannot open is written as a clearly marked locked line, never as
 * ciphertext.
 */
import type { ExportedPair, MeExport } from '../../../shared/schemas/index.ts';
import { markdownFileName, pairMarkdown } from '../../../shared/domain/export-markdown.ts';
import type { Me } from '../e2ee/device.ts';
import { GOAL_FIELDS, openGoal } from '../e2ee/records.ts';
import { openText } from '../e2ee/text.ts';
import { t } from '../i18n.ts';

async function openPair(who: Me, exported: ExportedPair): Promise<ExportedPair> {
  const pairId = exported.pair.id;
  const text = async (recordId: string, field: string, value: string) => {
    const opened = await openText(who, { pairId, recordId, field }, value);
    return opened.locked === null ? opened.text : t('export_lockedField', opened.locked);
  };
  const goals = await Promise.all(
    exported.goals.map(async (g) => {
      const opened = await openGoal(who, g);
      const fields = Object.fromEntries(await Promise.all(GOAL_FIELDS.map(async (f) => [f, await text(g.id, f, g[f])] as const)));
      const history = await Promise.all(
        g.history.map(async (r) => ({
          ...r,
          note: await text(g.id, 'revision-note', r.note),
          snapshot: { ...r.snapshot, ...Object.fromEntries(await Promise.all(GOAL_FIELDS.map(async (f) => [f, await text(g.id, f, r.snapshot[f])] as const))) },
        })),
      );
      const milestones = await Promise.all(g.milestones.map(async (m) => ({ ...m, title: await text(m.id, 'title', m.title) })));
      return { ...opened, ...fields, milestones, history };
    }),
  );
  const entries = await Promise.all(exported.entries.map(async (e) => ({ ...e, body: await text(e.id, 'body', e.body) })));
  const agenda = await Promise.all(exported.agenda.map(async (a) => ({ ...a, body: await text(a.id, 'body', a.body) })));
  return { ...exported, goals, entries, agenda };
}

/** The export with every field this device can open opened, and one Markdown file per pair. */
export async function decryptedExport(who: Me, data: MeExport): Promise<{ json: string; jsonName: string; files: { name: string; markdown: string }[] }> {
  const pairs = await Promise.all(data.pairs.map((p) => openPair(who, p)));
  const readable: MeExport = { ...data, pairs };
  const files = pairs.map((p) => ({ name: markdownFileName(p.pair), markdown: pairMarkdown(p, { id: data.user.id, name: data.user.name }, data.exportedAt) }));
  return { json: JSON.stringify(readable, null, 2), jsonName: `alongside-export-${data.exportedAt.slice(0, 10)}.json`, files };
}
