import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { ErrorCode, GuildmintError } from '../errors.js';

// The guard against server-side request forgery: a tenant's endpoint URL must not make the platform
// call into its own network. Checked twice: when the URL is saved (`assertWebhookUrl`), and on every
// connection (`guardedLookup`, the address actually dialled), so a name that resolves to a public
// address when saved and to 127.0.0.1 later (DNS rebinding) is refused at delivery.

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export interface AddressPolicy {
  /** Development and tests only: allow loopback addresses and plain http. */
  allowLoopback: boolean;
}

/** Why this address may not be dialled, or null when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  const [ip, type] = mapped
    ? [mapped, 'ipv4' as const]
    : [address, family === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  if (LOOPBACK.check(ip, type)) return policy.allowLoopback ? null : `${address} is a loopback address`;
  if (PRIVATE.check(ip, type)) return `${address} is a private, link-local or reserved address`;
  return null;
}

function forbidden(message: string): GuildmintError {
  return new GuildmintError(ErrorCode.INVALID_INPUT, message);
}

/** A URL an endpoint may have: https (http only with the development flag), no credentials, a public host. */
export function parseWebhookUrl(raw: string, policy: AddressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw forbidden('the endpoint URL is not a valid URL');
  }
  const http = url.protocol === 'http:' && policy.allowLoopback;
  if (url.protocol !== 'https:' && !http) throw forbidden('the endpoint URL must use https');
  if (url.username || url.password) throw forbidden('the endpoint URL may not carry a user name or password');
  if (raw.length > 2048) throw forbidden('the endpoint URL is longer than 2048 characters');
  return url;
}

/** Checks the URL and every address its host resolves to now (the save-time check). */
export async function assertWebhookUrl(raw: string, policy: AddressPolicy): Promise<URL> {
  const url = parseWebhookUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, found) =>
          error
            ? reject(forbidden(`the endpoint's host ${host} does not resolve`))
            : resolve(found.map((a) => a.address)),
        ),
      );
  for (const address of addresses) {
    const why = refusedAddress(address, policy);
    if (why) throw forbidden(`the endpoint's host resolves to a refused address: ${why}`);
  }
  return url;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request: resolves as usual, then refuses the connection unless every address
 * is allowed. The socket dials the address checked here, so nothing can swap it in between.
 */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, []);
      for (const { address } of found) {
        const why = refusedAddress(address, policy);
        if (why) return callback(Object.assign(new Error(`refused: ${why}`), { code: 'EADDRREFUSED' }), []);
      }
      if (options.all) return callback(null, found);
      const first = found[0]!;
      callback(null, first.address, first.family);
    });
  };
}
