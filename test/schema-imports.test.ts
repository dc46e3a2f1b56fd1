import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 12: the schema modules imported each other in a circle (customers → staff → links →
// customers). Each now imports only what it references, and nothing imports back.
const dir = path.resolve(import.meta.dirname, '../lib/db/schema');

function imports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    graph.set(file.replace(/\.ts$/, ''), [...source.matchAll(/from '\.\/([\w-]+)'/g)].map((m) => m[1]!));
  }
  return graph;
}

describe('lib/db/schema', () => {
  it('has no import cycle', () => {
    const graph = imports();
    expect(graph.size).toBeGreaterThan(5);
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (trail.includes(node)) return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect([...new Set(cycles)]).toEqual([]);
  });

  it('keeps sign-in tables (credentials, sessions, login challenges) in auth.ts', () => {
    const auth = readFileSync(path.join(dir, 'auth.ts'), 'utf8');
    for (const table of ['credentials', 'staff_credentials', 'sessions', 'login_challenges']) expect(auth).toMatch(new RegExp(`pgTable\\(\\s*'${table}'`));
  });
});
