import type { AddressInfo } from 'node:net';
import { type AddressPolicy, refuseLocalAddresses } from '../functions/actions/http-smoke-test/address-guard';

/**
 * Production's address policy with one exception: the local control plane's own address and port, so a smoke
 * test can check the demo's stand-in services (GET /demo/<service>/health). Every other loopback port (the
 * DynamoDB engine, the Slack sink, anything else on this machine) stays refused. `listening` is asked at each
 * check: the server's port is known only once it listens, after the functions are loaded.
 */
export function allowOnlyLocalControlPlane(listening: () => AddressInfo | undefined): AddressPolicy {
  return (address, port) => {
    const server = listening();
    if (server && address === server.address && port === server.port) return undefined;
    return refuseLocalAddresses(address, port);
  };
}
