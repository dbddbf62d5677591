import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The name of the refused range an address is in ("loopback", …), or undefined when it may be checked. The
 * port is the URL's (or its scheme's default): local mode allows its own server's loopback port and no other.
 */
export type AddressPolicy = (address: string, port?: number) => string | undefined;

/** All the addresses a hostname resolves to (IPv4 and IPv6). */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>;

const REFUSED: readonly (readonly [range: string, type: 'ipv4' | 'ipv6', prefix: number, name: string])[] = [
  ['127.0.0.0', 'ipv4', 8, 'loopback'],
  ['::1', 'ipv6', 128, 'loopback'],
  // The Lambda runtime API (127.0.0.1:9001) is loopback; the EC2/ECS metadata services are link-local.
  ['169.254.0.0', 'ipv4', 16, 'link-local'],
  ['fe80::', 'ipv6', 10, 'link-local'],
  // 0.0.0.0 and :: reach the local host when connected to.
  ['0.0.0.0', 'ipv4', 8, 'unspecified'],
  ['::', 'ipv6', 128, 'unspecified'],
  // The EC2 instance metadata service over IPv6 (Nitro), a unique local address.
  ['fd00:ec2::254', 'ipv6', 128, 'instance metadata'],
];

const blockLists = new Map<string, BlockList>();
for (const [range, type, prefix, name] of REFUSED) {
  const list = blockLists.get(name) ?? new BlockList();
  list.addSubnet(range, prefix, type);
  blockLists.set(name, list);
}

/**
 * Loopback, link-local and unspecified addresses (also as IPv4-mapped IPv6, ::ffff:127.0.0.1), and the
 * IPv6 instance metadata address: a pipeline must not point the function at itself or at its host.
 */
export const refuseLocalAddresses: AddressPolicy = (address) => {
  const family = isIP(address);
  if (family === 0) return 'unrecognised';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [name, list] of blockLists) if (list.check(address, type)) return name;
  return undefined;
};

export const resolveWithDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export type TargetVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly refused: string }
  | { readonly ok: false; readonly lookupFailed: string };

/**
 * Checks every address the URL's host resolves to (an IP literal as it is). The connection resolves the
 * name again: DNS rebinding between this check and fetch's connect is out of scope (pinning the address
 * would need a custom dispatcher; fetch has no lookup option).
 */
export async function checkTarget(
  url: URL,
  resolve: ResolveHost,
  policy: AddressPolicy,
  timeoutMs = 5_000,
): Promise<TargetVerdict> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: readonly string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = await withTimeout(resolve(host), timeoutMs);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return {
        ok: false,
        lookupFailed: typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'unknown',
      };
    }
    if (addresses.length === 0) return { ok: false, lookupFailed: 'no addresses' };
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  for (const address of addresses) {
    const range = policy(address, port);
    if (range !== undefined) {
      const article = /^[aeiou]/.test(range) ? 'an' : 'a';
      const what = address === host ? `${address} is` : `${host} resolves to ${address}, which is`;
      return { ok: false, refused: `${what} ${article} ${range} address` };
    }
  }
  return { ok: true };
}

/** getaddrinfo cannot be cancelled, but the check need not wait for it longer than for the request. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
