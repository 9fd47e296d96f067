import { createApp } from './app.ts';
import type { Env } from './env.ts';
import { scheduled } from './scheduled.ts';

const app = createApp();

/** HTTP requests go to the Hono app; the Cron Trigger in wrangler.toml runs `scheduled`. */
const worker: ExportedHandler<Env> = { fetch: app.fetch, scheduled };

export default worker;

/** Durable Object classes must be exported by the entry module (wrangler.toml [[durable_objects.bindings]]). */
export { PairRoom } from './live/room.ts';
