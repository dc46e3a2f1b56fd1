import { describe, expect, it } from 'vitest';
import { openAtStartUp } from './start-up';

describe('opening the database at start-up', () => {
  const options = { attempts: 4, initialDelayMs: 100, maxDelayMs: 250 };

  it('retries a failure that passes, with back-off, one line per failed attempt', async () => {
    const waits: number[] = [];
    const lines: string[] = [];
    let calls = 0;
    const attempts = await openAtStartUp(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('permission denied for table customers'), { code: '42501' });
      },
      { ...options, warn: (line) => lines.push(line), sleep: async (ms) => void waits.push(ms) },
    );
    expect(attempts).toBe(3);
    expect(waits).toEqual([100, 200]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Opening the database failed (42501: permission denied for table customers); attempt 1 of 4, retrying in 0.1 s.');
  });

  it('gives up after the last attempt with the reason, never waiting longer than the cap', async () => {
    const waits: number[] = [];
    let calls = 0;
    const opening = openAtStartUp(
      async () => {
        calls++;
        throw new Error('relation "links" does not exist\n    at somewhere deep');
      },
      { ...options, warn: () => {}, sleep: async (ms) => void waits.push(ms) },
    );
    await expect(opening).rejects.toThrow('Opening the database failed (relation "links" does not exist) after 4 attempts.');
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 250]);
  });

  it('does not retry a failure that waiting cannot cure', async () => {
    let calls = 0;
    const locked = new Error('the data folder is in use by process 42');
    const opening = openAtStartUp(
      async () => {
        calls++;
        throw locked;
      },
      { ...options, retry: (error) => error !== locked, warn: () => {}, sleep: async () => {} },
    );
    await expect(opening).rejects.toBe(locked);
    expect(calls).toBe(1);
  });
});
