import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLinkEvent, LINK_EVENTS, transitionBlocker, type LinkTransitionKind } from './link-events';
import type { LinkStatus } from './link-status';

const NOW = new Date('2026-03-10T03:00:00.000Z');
const FUTURE = new Date(NOW.getTime() + 30 * 86_400_000);
const PAST = new Date(NOW.getTime() - 1000);

const link = (status: LinkStatus, options: { expiresAt?: Date; suspendedVia?: string | null; providerStatus?: string } = {}) => ({
  status,
  expiresAt: options.expiresAt ?? FUTURE,
  suspendedVia: options.suspendedVia ?? null,
  providerStatus: options.providerStatus ?? 'active',
});

describe('transitionBlocker (SPEC §4 as one table)', () => {
  // [kind, link, expected]
  const table: [LinkTransitionKind, ReturnType<typeof link>, ReturnType<typeof transitionBlocker>][] = [
    ['stop', link('active'), null],
    ['stop', link('expired'), null],
    ['stop', link('suspended'), null],
    ['stop', link('revoked'), 'link_final'],
    ['stop', link('terminated'), 'link_final'],
    ['grant_item', link('active'), null],
    ['grant_item', link('active', { expiresAt: PAST }), 'link_not_active'],
    ['grant_item', link('suspended'), 'link_not_active'],
    ['revoke_item', link('suspended'), null],
    ['revoke_item', link('revoked'), 'link_final'],
    ['expire', link('active', { expiresAt: PAST }), null],
    ['expire', link('active'), 'link_not_active'],
    ['expire', link('suspended', { expiresAt: PAST }), 'link_not_active'],
    ['suspend', link('active'), null],
    ['suspend', link('expired'), 'link_not_active'],
    ['suspend', link('terminated'), 'link_final'],
    ['resume', link('suspended'), null],
    ['resume', link('suspended', { providerStatus: 'suspended' }), 'provider_not_active'],
    ['resume', link('active'), 'not_suspended'],
    ['lift_hold', link('revoked', { suspendedVia: 'link' }), null],
    ['lift_hold', link('revoked', { suspendedVia: 'provider' }), 'no_hold'],
    ['lift_hold', link('revoked'), 'no_hold'],
    ['lift_hold', link('suspended'), 'no_hold'],
    ['terminate', link('suspended'), null],
    ['terminate', link('terminated'), 'link_final'],
    ['chained_stop_requested', link('active'), null],
    ['chained_stop_requested', link('revoked'), 'link_final'],
    ['instruction', link('active'), null],
    ['instruction', link('revoked'), 'link_not_active'],
  ];
  it.each(table)('%s on %o → %s', (kind, l, expected) => {
    expect(transitionBlocker(l, kind, NOW)).toBe(expected);
  });
});

describe('LINK_EVENTS', () => {
  it('knows its own events and nothing else', () => {
    expect(isLinkEvent('link_hold_lifted')).toBe(true);
    expect(isLinkEvent('link_renamed')).toBe(false);
  });

  it.each(['ja', 'en'])('has a sentence for every event in %s, and the catalogue has none the list lacks', (locale) => {
    const portal = JSON.parse(readFileSync(join(process.cwd(), 'messages', locale, 'portal.json'), 'utf8')) as { history: Record<string, unknown> };
    const sentences = Object.entries(portal.history).filter(([, v]) => typeof v === 'string' && v !== '{event}');
    for (const event of LINK_EVENTS) expect(portal.history[event], `${locale}: history.${event}`).toEqual(expect.stringMatching(/\S/));
    const extra = sentences.map(([k]) => k).filter((k) => !isLinkEvent(k) && k !== 'unknown' && k !== 'stepUp');
    expect(extra).toEqual([]);
  });
});
