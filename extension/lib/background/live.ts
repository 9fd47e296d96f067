/**
 * Tickets for the pair's live room (issue 9). The background alone holds the bearer token: it asks the server for a
 * single-use ticket and hands the page a ws(s) URL that carries only the ticket, never the token.
 */
import { LiveTicketResponse } from '../../../shared/schemas/index.ts';
import { api, unwrap } from './api.ts';
import { settingsItem } from './storage.ts';

/** The room's WebSocket URL for the configured server: http → ws, https → wss, same host and port. */
export function liveSocketUrl(serverUrl: string, path: string, ticket: string): string {
  const url = new URL(path, serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = new URLSearchParams({ ticket }).toString();
  return url.toString();
}

export async function liveTicketUrl(pairId: string): Promise<string> {
  const client = await api();
  const answer = LiveTicketResponse.parse(await unwrap(client.pairs[':id'].live.ticket.$post({ param: { id: pairId } })));
  return liveSocketUrl((await settingsItem.get()).serverUrl, answer.path, answer.ticket);
}
