import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { FIXTURE_HOSTS } from './call-pages.ts';

/** The platforms' real host names; Chromium maps them to our local HTTPS server (--host-resolver-rules). */
export const PLATFORM_HOSTS = FIXTURE_HOSTS;

function selfSignedCert(dir: string): { key: Buffer; cert: Buffer } {
  // Named after the host list, so adding a host makes a new certificate instead of reusing one without it.
  const tag = createHash('sha256').update(PLATFORM_HOSTS.join(',')).digest('hex').slice(0, 10);
  const key = join(dir, `fixture-key-${tag}.pem`);
  const cert = join(dir, `fixture-cert-${tag}.pem`);
  if (!existsSync(key) || !existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=alongside-fixtures',
      '-addext', `subjectAltName=${PLATFORM_HOSTS.map((h) => `DNS:${h}`).join(',')}`,
      '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

export interface FixtureServer {
  port: number;
  /** Chromium flag mapping every platform host to this server. */
  hostResolverRules: string;
  close(): Promise<void>;
}

/**
 * Serves fixture call pages over HTTPS for every platform host. `pageFor(host, path)` returns the HTML to serve,
 * or undefined for a 404.
 */
export async function startFixtureServer(certDir: string, pageFor: (host: string, path: string) => string | undefined): Promise<FixtureServer> {
  const server: Server = createServer(selfSignedCert(certDir), (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0] ?? '';
    const html = pageFor(host, req.url ?? '/');
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not a fixture');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hostResolverRules: PLATFORM_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', '),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
