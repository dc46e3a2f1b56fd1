import { describe, expect, it } from 'vitest';
import { loadMessages } from './index';

function keys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

// A note that only one language needs (the terms are Japanese; English readers are told so).
const MAY_BE_EMPTY = new Set(['terms.japaneseOnly']);

describe('message catalogues', () => {
  it('have the same keys in Japanese and English, none empty', async () => {
    const ja = await loadMessages('ja');
    const en = await loadMessages('en');
    expect(keys(en).sort()).toEqual(keys(ja).sort());
    for (const catalogue of [ja, en]) {
      const empty = keys(catalogue).filter((k) => {
        const v = k.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], catalogue);
        return typeof v !== 'string' || (v.trim() === '' && !MAY_BE_EMPTY.has(k));
      });
      expect(empty).toEqual([]);
    }
  });
});
