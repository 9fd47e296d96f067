// The page side of the live room: one connection per page and pair (extension/lib/live-connection.ts).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LivePresence, LiveTopic } from '../../shared/schemas/index.ts';
import { ask } from '../lib/app-client.ts';
import { LiveConnection, type LiveState, type SocketLike } from '../lib/live-connection.ts';

export interface LiveRoom {
  state: LiveState;
  /** Who else has the pair open (connections and whether on a call), as the room last said. */
  presence: LivePresence[];
}

export interface LiveRoomOptions {
  /** Whether this page is on a call page (the overlay) — shown to the partner. */
  inCall: boolean;
  /** Something of the pair changed on the server: read it. */
  onChange(topic: LiveTopic): void;
  /** The socket is (again) up: read once everything since the last cursor, as nothing was pushed meanwhile. */
  onConnected(): void;
}

/** Connects while `pairId` is set; `state.kind === 'live'` means the page may stop polling. */
export function useLiveRoom(pairId: string | null, options: LiveRoomOptions): LiveRoom {
  const [state, setState] = useState<LiveState>({ kind: 'connecting' });
  const [presence, setPresence] = useState<LivePresence[]>([]);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const connection = useRef<LiveConnection | null>(null);

  useEffect(() => {
    setPresence([]);
    if (!pairId) {
      setState({ kind: 'connecting' });
      return;
    }
    const live = new LiveConnection(
      {
        ticketUrl: async () => (await ask('live.ticket', { pairId })).url,
        openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
        now: () => Date.now(),
        setTimer: (fn, ms) => setTimeout(fn, ms),
        clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
        random: Math.random,
      },
      {
        onState: setState,
        onConnected: () => optionsRef.current.onConnected(),
        onChange: (topic) => optionsRef.current.onChange(topic),
        onPresence: setPresence,
      },
    );
    connection.current = live;
    live.setInCall(optionsRef.current.inCall);
    live.start();
    return () => {
      live.stop();
      connection.current = null;
    };
  }, [pairId]);

  useEffect(() => {
    connection.current?.setInCall(options.inCall);
  }, [options.inCall]);

  return { state, presence };
}
