import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { refuseLocalAddresses } from '../../../functions/actions/http-smoke-test/address-guard';
import { allowOnlyLocalControlPlane } from '../../../local/local-address-policy';

const server: AddressInfo = { address: '127.0.0.1', family: 'IPv4', port: 3000 };

describe("local mode's smoke-test address policy", () => {
  const policy = allowOnlyLocalControlPlane(() => server);

  it("allows the control plane's own address and port", () => {
    expect(policy('127.0.0.1', 3000)).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', 8000, 'loopback'],
    ['127.0.0.1', undefined, 'loopback'],
    ['::1', 3000, 'loopback'],
    ['127.0.0.2', 3000, 'loopback'],
    ['169.254.169.254', 80, 'link-local'],
  ])('refuses %s port %s like production (%s)', (address, port, range) => {
    expect(policy(address, port)).toBe(range);
    expect(refuseLocalAddresses(address, port)).toBe(range);
  });

  it('allows what production allows', () => {
    expect(policy('93.184.215.14', 443)).toBeUndefined();
  });

  it('refuses loopback before the server listens', () => {
    expect(allowOnlyLocalControlPlane(() => undefined)('127.0.0.1', 3000)).toBe('loopback');
  });
});
