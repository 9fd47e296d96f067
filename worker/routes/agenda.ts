import { Hono } from 'hono';
import { z } from 'zod';
import { AgendaPatch, Id, NewAgendaItem, PairQuery, VersionQuery } from '../../shared/schemas/index.ts';
import { deleteAgendaItem, getAgendaItem, insertAgendaItem, listAgenda, updateAgendaItem } from '../db/agenda.ts';
import type { AuthUser, Db } from '../env.ts';
import type { AppEnv } from '../env.ts';
import { requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, notFound, versionConflict } from '../lib/errors.ts';
import { idempotency, requireAuth, requireMember } from '../lib/middleware.ts';
import { requireCiphertextOnceEncrypted } from '../lib/e2ee.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

const IdParam = z.object({ id: Id });

/** Both partners shape the agenda together, so either may edit, tick or remove an item. */
async function loadItem(db: Db, auth: AuthUser, id: string) {
  const item = await getAgendaItem(db, id);
  if (!item || item.deleted) throw notFound('Agenda item');
  requireWritable(await requirePairMember(db, auth, item.pairId));
  const { deleted: _deleted, ...body } = item;
  return body;
}

export const agendaRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireMember, idempotency)
  .get('/', validate('query', PairQuery), async (c) => {
    const { pair } = await requirePairMember(c.var.db, c.var.auth, c.req.valid('query').pairId);
    return c.json({ agenda: await listAgenda(c.var.db, pair.id) }, 200);
  })
  .post('/', validate('json', NewAgendaItem), async (c) => {
    const db = c.var.db;
    const input = c.req.valid('json');
    const membership = await requirePairMember(db, c.var.auth, input.pairId);
    const existing = await getAgendaItem(db, input.id);
    if (existing) {
      if (existing.pairId !== input.pairId) throw new ApiError(409, 'conflict', 'This id is already in use');
      // A retried create of an item deleted since: it stays deleted (its text is gone), as a GET would say.
      if (existing.deleted) throw notFound('Agenda item');
      const { deleted: _deleted, ...item } = existing;
      return c.json({ item }, 200);
    }
    requireWritable(membership);
    await requireCiphertextOnceEncrypted(db, input.pairId, { body: input.body });
    await insertAgendaItem(db, { ...input, authorId: c.var.auth.id });
    const created = await getAgendaItem(db, input.id);
    if (!created) throw notFound('Agenda item');
    const { deleted: _deleted, ...item } = created;
    tellPair(c, input.pairId, { topic: 'agenda' });
    return c.json({ item }, 201);
  })
  .patch('/:id', validate('param', IdParam), validate('json', AgendaPatch), async (c) => {
    const db = c.var.db;
    const patch = c.req.valid('json');
    const item = await loadItem(db, c.var.auth, c.req.valid('param').id);
    if (item.version !== patch.version) throw versionConflict(item);
    await requireCiphertextOnceEncrypted(db, item.pairId, { body: patch.body });
    const changed = await updateAgendaItem(db, { id: item.id, ...patch });
    const current = await loadItem(db, c.var.auth, item.id);
    if (!changed) throw versionConflict(current);
    tellPair(c, current.pairId, { topic: 'agenda' });
    return c.json({ item: current }, 200);
  })
  .delete('/:id', validate('param', IdParam), validate('query', VersionQuery), async (c) => {
    const db = c.var.db;
    const item = await loadItem(db, c.var.auth, c.req.valid('param').id);
    const { version } = c.req.valid('query');
    if (item.version !== version) throw versionConflict(item);
    if (!(await deleteAgendaItem(db, item.id, version))) throw versionConflict(await getAgendaItem(db, item.id));
    tellPair(c, item.pairId, { topic: 'agenda' });
    return c.json({ ok: true as const }, 200);
  });
