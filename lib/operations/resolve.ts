import { eq, or } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { providers } from '@/lib/db/schema';
import { isUuid } from '@/lib/domain/ids';


/** A provider named by its id or its OAuth client_id (what operators and the CLI know it by), or null. */
export async function resolveProviderRef(db: Executor, ref: string): Promise<{ id: string; clientId: string; nameJa: string; nameEn: string } | null> {
  const [row] = await db
    .select({ id: providers.id, clientId: providers.clientId, nameJa: providers.nameJa, nameEn: providers.nameEn })
    .from(providers)
    .where(isUuid(ref) ? or(eq(providers.id, ref), eq(providers.clientId, ref)) : eq(providers.clientId, ref))
    .limit(1);
  return row ?? null;
}
