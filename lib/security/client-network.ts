import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/**
 * Where a request comes from, for throttling failed sign-ins per client network (issue 16,
 * defect 3; docs/decisions.md 41).
 *
 * The server (server/main.ts) works out the client's address once, from the socket, or, behind
 * the bank's load balancer, from `X-Forwarded-For` as far back as the proxies it trusts
 * (`TRUSTED_PROXIES`: addresses, CIDR ranges or the names `loopback`, `linklocal`, `uniquelocal`,
 * as Express's proxy-addr reads them; unset: none, so a client cannot claim an address by sending
 * the header). It hands the address on to the app in a header of its own, replacing any the
 * client sent.
 */
export const CLIENT_ADDRESS_HEADER = 'x-renkei-client-address';

/** A trust function for proxy-addr from `TRUSTED_PROXIES`; a wrong entry stops the server at start. */
export function trustedProxies(setting: string | undefined): (address: string, hop: number) => boolean {
  const entries = (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length === 0 ? () => false : proxyaddr.compile(entries);
}

export function clientAddress(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string | null {
  if (!req.socket.remoteAddress) return null;
  try {
    return proxyaddr(req, trust);
  } catch {
    return req.socket.remoteAddress;
  }
}

/**
 * The network a failed sign-in is counted against: an IPv4 address as it is (a home router, an
 * office or a carrier's NAT is one address), an IPv6 client by its /64 (what one subscriber is
 * given, so rotating addresses inside it gains nothing). An IPv4-mapped IPv6 address is the IPv4
 * one. Null when the address does not parse.
 */
export function clientNetwork(address: string | null | undefined): string | null {
  if (!address || isIP(address) === 0) return null; // strict: no classful forms such as 203.0.113
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
