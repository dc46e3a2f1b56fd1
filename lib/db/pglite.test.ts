import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPglite } from './connect';
import { acquireDirLock, PgliteDirLockedError } from './pglite-lock';

const run = promisify(execFile);

// These always use PGlite: they prove properties of the embedded single-connection mode.
describe('embedded PGlite', () => {
  it('never interleaves two transactions on its single connection (no lost update)', async () => {
    const database = await openPglite(null);
    try {
      await database.db.execute(sql`create table counter (n int not null)`);
      await database.db.execute(sql`insert into counter values (0)`);
      // Read-modify-write with a pause in between: interleaved transactions would lose increments.
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          database.db.transaction(async (tx) => {
            const rows = await tx.execute<{ n: number }>(sql`select n from counter`);
            const n = Number((rows as unknown as { rows: { n: number }[] }).rows[0]?.n);
            await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
            await tx.execute(sql`update counter set n = ${n + 1}`);
          }),
        ),
      );
      // A query outside a transaction waits for the open one and never sees its uncommitted work.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const open = database.db.transaction(async (tx) => {
        await tx.execute(sql`update counter set n = -1`);
        await gate;
        tx.rollback();
      });
      const outside = database.db.execute(sql`select n from counter`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      await expect(open).rejects.toThrow();
      const seen = (await outside) as unknown as { rows: { n: number }[] };
      expect(seen.rows[0]?.n).toBe(25);
    } finally {
      await database.close();
    }
  });

  it('refuses a second process on the same data folder with a clear message', async () => {
    const name = `lock-test-${process.pid}-${Date.now()}`;
    const dir = path.join(process.cwd(), 'data', name);
    const database = await openPglite(dir);
    try {
      const child = run(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/db-migrate.ts'], {
        env: { ...process.env, PGLITE_DIR: name, DATABASE_URL: '' },
      });
      await expect(child).rejects.toMatchObject({ stderr: expect.stringMatching(/is in use by process \d+.*one process per data folder/s) });
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });

  it('takes over a lock left by a process that is gone, and refuses one held by a live process', async () => {
    const dir = path.join(os.tmpdir(), `renkei-lock-${process.pid}-${Date.now()}`);
    const sleeper = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(`${dir}.lock`, String(sleeper.pid));
      expect(() => acquireDirLock(dir)).toThrow(PgliteDirLockedError);
      sleeper.kill();
      await new Promise((resolve) => sleeper.once('exit', resolve));
      const release = acquireDirLock(dir);
      expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
      release();
      expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    } finally {
      sleeper.kill();
      fs.rmSync(`${dir}.lock`, { force: true });
    }
  });

  it('creates a new data folder (initdb, migrations), reopens it, and keeps its data and settings across opens', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-pglite-new-'));
    const folder = path.join(dir, 'db');
    try {
      const first = await openPglite(folder);
      try {
        const rows = (await first.db.execute(sql`select current_setting('shared_buffers') as shared_buffers, count(*)::int as n from terms_versions`)) as unknown as { rows: { shared_buffers: string; n: number }[] };
        expect(rows.rows[0]?.shared_buffers).toBe('16MB');
        await first.db.execute(sql`create table kept (v text)`);
        await first.db.execute(sql`insert into kept values ('after the reopen')`);
      } finally {
        await first.close();
      }
      expect(fs.existsSync(path.join(folder, 'PG_VERSION'))).toBe(true);
      const again = await openPglite(folder);
      try {
        const kept = (await again.db.execute(sql`select v from kept`)) as unknown as { rows: { v: string }[] };
        expect(kept.rows).toEqual([{ v: 'after the reopen' }]);
      } finally {
        await again.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs PostgreSQL on a thread of its own: a slow statement does not stop this thread', async () => {
    const database = await openPglite(null);
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      try {
        await database.db.execute(sql`select pg_sleep(0.4)`);
      } finally {
        clearInterval(timer);
      }
      // In-thread WebAssembly would hold the event loop for the whole 400 ms: no tick at all.
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      await database.close();
    }
  });

  it("passes PostgreSQL's error fields across the thread, and keeps rollback and savepoint semantics", async () => {
    const database = await openPglite(null);
    try {
      const { db } = database;
      await db.execute(sql`create table once (k text primary key, n int not null)`);
      await db.execute(sql`insert into once values ('a', 1)`);
      const duplicate = await db.execute(sql`insert into once values ('a', 2)`).catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(Error);
      const cause = (duplicate as Error).cause as Record<string, unknown>;
      expect(cause).toMatchObject({ code: '23505', constraint: 'once_pkey', name: 'PgliteError' });
      expect(String(cause.stack)).toContain('in the PGlite thread');

      // A callback that throws: its writes are rolled back and the error reaches the caller as it was.
      class Refused extends Error {}
      await expect(
        db.transaction(async (tx) => {
          await tx.execute(sql`update once set n = 10 where k = 'a'`);
          throw new Refused('no');
        }),
      ).rejects.toBeInstanceOf(Refused);
      // A nested transaction (savepoint) that fails leaves the outer one's work in place.
      await db.transaction(async (tx) => {
        await tx.execute(sql`insert into once values ('b', 1)`);
        await expect(tx.transaction(async (inner) => inner.execute(sql`insert into once values ('b', 2)`))).rejects.toThrow();
        await tx.execute(sql`insert into once values ('c', 1)`);
      });
      const rows = (await db.execute(sql`select k, n from once order by k`)) as unknown as { rows: unknown[] };
      expect(rows.rows).toEqual([
        { k: 'a', n: 1 },
        { k: 'b', n: 1 },
        { k: 'c', n: 1 },
      ]);
      // Types come back as drizzle's PGlite driver expects them: timestamps as text, json parsed.
      const typed = (await db.execute(sql`select '2026-11-26 12:00:00+00'::timestamptz as at, '{"a":[1]}'::jsonb as j`)) as unknown as { rows: { at: unknown; j: unknown }[] };
      expect(typeof typed.rows[0]?.at).toBe('string');
      expect(typed.rows[0]?.j).toEqual({ a: [1] });
    } finally {
      await database.close();
    }
    await expect(database.db.execute(sql`select 1`)).rejects.toMatchObject({ cause: { message: 'the PGlite thread is closed' } });
  });
});
