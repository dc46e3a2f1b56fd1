import { describe, expect, it } from 'vitest';
import { safeNext, safeRedirectPath } from './safe-redirect';

// Known open-redirect payloads (OWASP, PortSwigger, past Next.js and framework advisories): each
// must fall back to the home page.
const HOSTILE = [
  '//evil.example',
  '//evil.example/path',
  '///evil.example',
  '/\\evil.example',
  '\\/evil.example',
  '\\\\evil.example',
  '/\t/evil.example/',
  '/%09/evil.example/',
  '/\n/evil.example',
  '/%0a/evil.example',
  '/%2f%2fevil.example',
  '/%2F/evil.example',
  '/%5cevil.example',
  '/%5c%5cevil.example',
  '/.//evil.example',
  '/./\\evil.example',
  'https://evil.example',
  'https:evil.example',
  'http:/evil.example',
  '//user@evil.example',
  '/@evil.example/../..//evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  ' /evil',
  '/ /evil.example',
  '／／evil.example', // full-width solidus
  '/／evil.example',
  '/ｅｖｉｌ.example',
  '//xn--e1awd7f.example', // IDN
  '//еxample.com', // Cyrillic е
  '',
  'evil.example',
  '?next=//evil',
  '#//evil',
  '/%',
  '/'.padEnd(3000, 'a'),
];

const SAFE: [string, string][] = [
  ['/', '/'],
  ['/links/6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e', '/links/6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'],
  ['/consent/abc-123', '/consent/abc-123'],
  ['/staff/customers/x?tab=links#history', '/staff/customers/x?tab=links#history'],
  ['/terms?lang=en', '/terms?lang=en'],
];

describe('safeRedirectPath', () => {
  it.each(HOSTILE.map((p) => [JSON.stringify(p), p]))('refuses %s', (_label, payload) => {
    expect(safeRedirectPath(payload, '/home')).toBe('/home');
  });
  it.each(SAFE)('keeps %s', (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });
  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 1, ['/'], { toString: () => '/' }]) expect(safeRedirectPath(value, '/f')).toBe('/f');
  });
});

describe('safeNext (after sign-in)', () => {
  it('never leads back to a sign-in page or to an API route', () => {
    for (const value of ['/login', '/login?next=/x', '/staff/login', '/staff/login/otp', '/api/v1/accounts']) expect(safeNext(value, '/staff')).toBe('/staff');
    expect(safeNext('/loginhelp')).toBe('/loginhelp');
  });
  it.each(HOSTILE.map((p) => [JSON.stringify(p), p]))('refuses %s', (_label, payload) => {
    expect(safeNext(payload)).toBe('/');
  });
});
