import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientNetwork, trustedProxies } from './client-network';

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('the client address a request comes from (issue 16, defect 3)', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    const none = trustedProxies(undefined);
    expect(clientAddress(request('198.51.100.4', '203.0.113.1'), none)).toBe('198.51.100.4');
    expect(clientAddress(request('127.0.0.1', '203.0.113.1'), trustedProxies(' '))).toBe('127.0.0.1');
  });

  it('behind trusted proxies, the nearest address they did not add: a client cannot prepend its own', () => {
    const lb = trustedProxies('loopback, 10.0.0.0/8');
    expect(clientAddress(request('127.0.0.1', '203.0.113.1'), lb)).toBe('203.0.113.1');
    // the client sent "X-Forwarded-For: 192.0.2.66"; the load balancer appended what it saw
    expect(clientAddress(request('10.1.2.3', '192.0.2.66, 203.0.113.1'), lb)).toBe('203.0.113.1');
    expect(clientAddress(request('10.1.2.3', '192.0.2.66, 203.0.113.1, 10.9.9.9'), lb)).toBe('203.0.113.1');
    // a peer that is not a trusted proxy is the client, header or not
    expect(clientAddress(request('198.51.100.4', '203.0.113.1'), lb)).toBe('198.51.100.4');
    expect(clientAddress(request('127.0.0.1'), lb)).toBe('127.0.0.1');
  });

  it('refuses a wrong TRUSTED_PROXIES entry at start', () => {
    expect(() => trustedProxies('10.0.0.0/99')).toThrow();
    expect(() => trustedProxies('not-an-address')).toThrow();
  });
});

describe('the network failed sign-ins are counted against', () => {
  it('is an IPv4 address as it is, also when IPv4-mapped', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.9');
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    expect(clientNetwork('2001:db8:7:1::42')).toBe('2001:db8:7:1::/64');
    expect(clientNetwork('2001:0db8:0007:0001:ffff:1:2:3')).toBe('2001:db8:7:1::/64');
    expect(clientNetwork('2001:db8:7:2::42')).toBe('2001:db8:7:2::/64');
    expect(clientNetwork('::1')).toBe('::/64');
  });

  it('is null for what is not an address', () => {
    for (const value of [null, undefined, '', 'unknown', '203.0.113', '1.2.3.4.5', 'evil.example']) expect(clientNetwork(value), String(value)).toBeNull();
  });
});
