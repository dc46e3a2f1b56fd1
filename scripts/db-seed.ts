// `npm run db:seed`: the terms, and in sandbox mode the demo data of SPEC §7 (idempotent).
import { openConfiguredDatabase } from '@/lib/db/open';
import { seedDatabase } from '@/lib/db/seed';
import { isSandbox } from '@/lib/env';

async function main() {
  const database = await openConfiguredDatabase();
  try {
    await seedDatabase(database.db, { sandbox: isSandbox });
    console.log(`Seeded (${database.kind}, ${isSandbox ? 'sandbox: terms + demo data' : 'production: terms only'}).`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
