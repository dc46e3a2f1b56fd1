import { eq } from 'drizzle-orm';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Executor } from '@/lib/db/connect';
import { customers } from '@/lib/db/schema';

export type CustomerProfileDTO = { nameJa: string; nameEn: string };

/** The acting customer's own display names. */
export async function getCustomerProfile(db: Executor, principal: CustomerPrincipal): Promise<CustomerProfileDTO | null> {
  const [row] = await db
    .select({ nameJa: customers.nameJa, nameEn: customers.nameEn })
    .from(customers)
    .where(eq(customers.id, principal.customerId));
  return row ?? null;
}
