import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// No `server-only` here: the seed (and with it every route that opens the database, the pages
// router's authorization server included) reaches this module through lib/auth/totp-key.ts.

/**
 * A random secret in ./data/<name>, written once (mode 600) and read from then on. Written to a
 * file of its own first and linked into place, so a process starting at the same moment reads
 * either no file or the whole secret, never an empty one.
 */
export function sandboxSecret(name: string): string {
  const file = path.join(process.cwd(), 'data', name);
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(draft, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process linked its own first
  } finally {
    fs.rmSync(draft, { force: true });
  }
  const secret = readSecret(file);
  if (!secret) throw new Error(`${file} is empty: delete it and start again`);
  return secret;
}

function readSecret(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
