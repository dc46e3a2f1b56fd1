import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MODULE = path.join(process.cwd(), 'lib', 'auth', 'sandbox-secret.ts');
// tsx from this checkout: the children run in an empty folder.
const TSX = import.meta.resolve('tsx');

describe('sandbox secrets in ./data', () => {
  it('processes starting at the same moment all get the one secret written, never an empty one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-secret-'));
    try {
      const script = `import(${JSON.stringify(MODULE)}).then((m) => process.stdout.write((m.sandboxSecret ?? m.default.sandboxSecret)('totp-key')))`;
      const outputs = await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, ['--import', TSX, '-e', script], { cwd: dir })));
      const secrets = new Set(outputs.map((o) => o.stdout));
      expect(secrets.size).toBe(1);
      const [secret] = [...secrets];
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(fs.readFileSync(path.join(dir, 'data', 'totp-key'), 'utf8')).toBe(secret);
      expect(fs.statSync(path.join(dir, 'data', 'totp-key')).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(path.join(dir, 'data'))).toEqual(['totp-key']); // no drafts left behind
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
