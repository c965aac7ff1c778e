import { isIP } from 'node:net';

/**
 * Whether a host name (as in a URL or a Host header, without the port) names this machine: `localhost`,
 * 127.0.0.0/8, or ::1 (bracketed in URLs).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  return isLoopbackAddress(host);
}

/** Whether an IP address is a loopback one: 127.0.0.0/8, ::1, or 127.x mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  const ip = address
    .trim()
    .toLowerCase()
    .replace(/^::ffff:/, '');
  if (isIP(ip) === 4) return ip.startsWith('127.');
  return isIP(ip) === 6 && ip === '::1';
}

/** Whether a URL's host is loopback (so plain http never leaves the machine). */
export function isLoopbackUrl(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname);
}
