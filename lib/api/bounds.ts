import { z } from 'zod';

// Bounds shared by the provider API's request schemas (which enforce them) and its OpenAPI
// document (which states them): every string has a length, every integer a range and a format.

/** Art. 3.2: the most one instruction may move. */
export const MAX_TRANSFER_YEN = 10_000_000;

/** Integer yen as JSON numbers carry them exactly (a balance, a statement line). */
export const MAX_YEN = Number.MAX_SAFE_INTEGER;

/** A UUID (ids of accounts, payees, agreements, instructions). */
export const uuidField = () => z.string().uuid().max(36);

/** The amount of one instruction: whole yen, 1 to MAX_TRANSFER_YEN. */
export const instructedYen = () => z.number().int().min(1).max(MAX_TRANSFER_YEN).meta({ format: 'int64' });

/** The most rows a list answer holds (accounts, payees); statements are paged by 50. */
export const MAX_LIST_ITEMS = 200;

/** The most validation errors a 400 lists. */
export const MAX_PROBLEM_ERRORS = 50;

/**
 * Free text from a provider (a memo, a biller's name): bounded, and printable — no control
 * characters, so no NUL, which PostgreSQL's text cannot hold (it would be a 500, not a 400).
 */
export const freeText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters are not allowed');
