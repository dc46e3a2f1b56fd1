import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const documents = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), 'bench/README.md'];

// Issue 12, defect 7: the README sent readers to ../shared/SPEC.md, which a clone does not have.
describe('the repository’s own documents', () => {
  it.each(documents)('%s links only to files inside the repository that exist', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const missing = targets.filter((target) => {
      const resolved = path.resolve(path.dirname(path.join(root, file)), target.split('#')[0]!);
      return !resolved.startsWith(`${root}${path.sep}`) || !existsSync(resolved);
    });
    expect(missing).toEqual([]);
    // Nor does any backticked path leave it.
    expect(text.match(/`\.\.\/(shared|\.\.)[^`]*`/g) ?? []).toEqual([]);
  });

  it('includes the product contract: terms → behaviour, permission items, statuses, sandbox names', () => {
    const contract = readFileSync(path.join(root, 'docs/product.md'), 'utf8');
    for (const heading of ['Terms → behaviour', 'Permission items', 'A link and its life', 'Sandbox contract']) expect(contract).toContain(heading);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('(docs/product.md)');
  });
});
