// A TCP proxy in front of a local worker, to give one browser a network that fails in a chosen way: cut (every
// connection destroyed and new ones refused, until healed), or refusing WebSocket upgrades only (a network whose
// proxy blocks WebSockets, as some corporate ones do).
import { type Server, type Socket, connect, createServer } from 'node:net';

export interface TcpProxy {
  url: string;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Destroys a connection whose first request asks for a WebSocket upgrade. */
  refuseWebSockets?: boolean;
}

const UPGRADE = /^upgrade:\s*websocket\s*$/im;

export async function startTcpProxy(targetPort: number, opts: ProxyOptions = {}): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    open.add(client);
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    // A WebSocket handshake is the first request on its own connection (RFC 6455 §4.1), so its head is in the
    // first chunk.
    client.once('data', (first: Buffer) => {
      if (opts.refuseWebSockets && UPGRADE.test(first.toString('latin1'))) {
        drop();
        return;
      }
      upstream.write(first);
      client.pipe(upstream);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    heal() {
      down = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
