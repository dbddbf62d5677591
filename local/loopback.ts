import type { AddressInfo, Server } from 'node:net';

/** Starts `server` on 127.0.0.1 (`port` 0 picks a free one) and answers the port it got. */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
