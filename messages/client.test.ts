import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_NAMESPACES, pickMessages, STAFF_CLIENT_NAMESPACES } from './client';
import { loadMessages } from './index';

const ROOT = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/**
 * The namespaces a file translates with through next-intl's hook (client components; a server
 * component may use it too, which only makes the check stricter): `useTranslations('a.b')`, and
 * for `useTranslations()` the first part of every literal key, `t('a.…')` or t(`a.…`).
 */
function hookNamespaces(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/useTranslations\(\s*'([^']+)'\s*\)/g)) found.add(m[1]!);
  if (/useTranslations\(\s*\)/.test(source)) {
    for (const m of source.matchAll(/\bt\(\s*['`]([A-Za-z]+)\./g)) found.add(m[1]!);
  }
  return [...found];
}

const covered = (namespace: string, given: readonly string[]) => given.some((g) => namespace === g || namespace.startsWith(`${g}.`));

describe('the messages the browser gets (messages/client.ts)', () => {
  it('cover every namespace a component translates with on the client', () => {
    const missing: string[] = [];
    let files = 0;
    for (const file of [...sources('app'), ...sources('components')]) {
      const used = hookNamespaces(fs.readFileSync(path.join(ROOT, file), 'utf8'));
      if (used.length > 0) files++;
      const given = file.startsWith(path.join('app', 'staff')) || file.startsWith(path.join('components', 'staff')) ? [...CLIENT_NAMESPACES, ...STAFF_CLIENT_NAMESPACES] : CLIENT_NAMESPACES;
      for (const namespace of used) if (!covered(namespace, given)) missing.push(`${file}: ${namespace}`);
    }
    expect(files).toBeGreaterThan(10); // the scan finds the client components at all
    expect(missing).toEqual([]);
  });

  it('are a small part of the catalogues, and every one of them exists in both languages', async () => {
    for (const locale of ['ja', 'en'] as const) {
      const all = await loadMessages(locale);
      const client = pickMessages(all, CLIENT_NAMESPACES);
      const staff = pickMessages(all, [...CLIENT_NAMESPACES, ...STAFF_CLIENT_NAMESPACES]);
      expect(Object.keys(client).sort()).toEqual([...CLIENT_NAMESPACES].sort());
      expect((staff.staff as Record<string, unknown>).actions).toEqual((all.staff as Record<string, unknown>).actions);
      expect(Object.keys(staff.staff as object)).toEqual(['actions']);
      expect(JSON.stringify(client).length).toBeLessThan(JSON.stringify(all).length / 3);
    }
    expect(() => pickMessages({ a: {} }, ['b'])).toThrow(/no message namespace b/);
  });
});
