import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { and, eq, notLike } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { credentials, staffCredentials } from '@/lib/db/schema';
import { totpKey } from './totp-key';

/**
 * One-time-password secrets at rest (docs/decisions.md 26). A TOTP secret must be readable to check
 * a code, so it cannot be hashed like a password; it is sealed with AES-256-GCM under a key from
 * configuration (TOTP_KEY), never stored beside the data. The sealed form is
 * `v1.<iv>.<ciphertext and tag>` (base64url), and the additional data binds it to its owner
 * (`customer:<id>` or `staff:<id>`): a sealed secret copied onto another credential row does not open.
 */

export type SecretOwner = { realm: 'customer' | 'staff'; subjectId: string };

const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TotpSealError extends Error {}

let derived: { from: string; key: Buffer } | undefined;

function sealingKey(): Buffer {
  const material = totpKey();
  if (derived?.from !== material) {
    derived = { from: material, key: Buffer.from(hkdfSync('sha256', material, 'renkei', 'totp-secret v1', 32)) };
  }
  return derived.key;
}

const ownerData = (owner: SecretOwner) => Buffer.from(`${owner.realm}:${owner.subjectId}`, 'utf8');

export function isSealed(stored: string): boolean {
  return stored.startsWith(VERSION);
}

export function sealTotpSecret(secret: string, owner: SecretOwner): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(), iv);
  cipher.setAAD(ownerData(owner));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The secret, or TotpSealError when it is not sealed, was sealed under another key or owner, or was altered. */
export function openTotpSecret(stored: string, owner: SecretOwner): string {
  if (!isSealed(stored)) throw new TotpSealError('the stored one-time-password secret is not sealed');
  const [iv, body] = stored.slice(VERSION.length).split('.');
  const ivBytes = Buffer.from(iv ?? '', 'base64url');
  const bodyBytes = Buffer.from(body ?? '', 'base64url');
  if (ivBytes.length !== IV_BYTES || bodyBytes.length <= TAG_BYTES) throw new TotpSealError('the stored one-time-password secret is malformed');
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(), ivBytes);
    decipher.setAAD(ownerData(owner));
    decipher.setAuthTag(bodyBytes.subarray(bodyBytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bodyBytes.subarray(0, bodyBytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new TotpSealError('the stored one-time-password secret does not open with this TOTP_KEY (another key, another owner, or altered)');
  }
}

/** Whether a stored secret opens with the current key for this owner. */
export function opens(stored: string, owner: SecretOwner): boolean {
  try {
    openTotpSecret(stored, owner);
    return true;
  } catch {
    return false;
  }
}

/**
 * Seals every secret still stored as issued (rows written before sealing existed), customers' and
 * staff's. Run at start-up with the seed; returns how many it sealed. Idempotent.
 */
export async function sealStoredTotpSecrets(db: Executor): Promise<number> {
  let sealed = 0;
  const customerRows = await db.select({ id: credentials.customerId, secret: credentials.totpSecret }).from(credentials).where(notLike(credentials.totpSecret, `${VERSION}%`));
  for (const row of customerRows) {
    await db.update(credentials).set({ totpSecret: sealTotpSecret(row.secret, { realm: 'customer', subjectId: row.id }) }).where(and(eq(credentials.customerId, row.id), notLike(credentials.totpSecret, `${VERSION}%`)));
    sealed++;
  }
  const staffRows = await db
    .select({ id: staffCredentials.staffUserId, secret: staffCredentials.totpSecret })
    .from(staffCredentials)
    .where(notLike(staffCredentials.totpSecret, `${VERSION}%`));
  for (const row of staffRows) {
    await db.update(staffCredentials).set({ totpSecret: sealTotpSecret(row.secret, { realm: 'staff', subjectId: row.id }) }).where(and(eq(staffCredentials.staffUserId, row.id), notLike(staffCredentials.totpSecret, `${VERSION}%`)));
    sealed++;
  }
  return sealed;
}
