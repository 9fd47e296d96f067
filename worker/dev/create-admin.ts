/**
 * Creates an organisation and its first admin, and prints a sign-in link:
 *   npm run create-admin -- --org "Acme Mentoring" --name "Ada" --email ada@acme.org --url https://alongside.acme.workers.dev [--remote]
 * Without --remote it writes to the local database.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { executeSql, run } from './local.ts';

const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    'time-zone': { type: 'string', default: 'UTC' },
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    remote: { type: 'boolean', default: false },
  },
});

if (!values.org || !values.name || !values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) {
  console.error('Usage: npm run create-admin -- --org "Programme name" --name "Your name" --email you@example.org [--url https://…] [--remote]');
  process.exit(2);
}

const q = (v: string) => `'${v.replaceAll("'", "''")}'`;
const now = new Date();
const orgId = randomUUID();
const userId = randomUUID();
const code = randomBytes(32).toString('base64url');
const expires = new Date(now.getTime() + 14 * 86_400_000).toISOString();
const sql = [
  `INSERT INTO organisations (id, name, created_at) VALUES (${q(orgId)}, ${q(values.org)}, ${q(now.toISOString())});`,
  `INSERT INTO users (id, org_id, role, name, email, time_zone, created_at, updated_at) VALUES (${q(userId)}, ${q(orgId)}, 'admin', ${q(values.name)}, ${q(values.email.toLowerCase())}, ${q(values['time-zone'])}, ${q(now.toISOString())}, ${q(now.toISOString())});`,
  `INSERT INTO invitations (id, org_id, user_id, code_hash, created_at, expires_at) VALUES (${q(randomUUID())}, ${q(orgId)}, ${q(userId)}, ${q(createHash('sha256').update(code).digest('hex'))}, ${q(now.toISOString())}, ${q(expires)});`,
].join('\n');

if (values.remote) {
  await run('wrangler', ['d1', 'execute', 'DB', '--remote', '--command', sql]);
} else {
  await executeSql(sql);
}
console.log(`\nAdmin created. Sign in (single use, valid 14 days): ${values.url.replace(/\/+$/, '')}/invite/${code}`);
