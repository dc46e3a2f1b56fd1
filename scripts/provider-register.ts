// `npm run provider:register -- <file.json>`: registers a provider from RFC 7591 client metadata plus
// a `renkei` object (SPEC §7) and prints its client_id.
import fs from 'node:fs';
import { openConfiguredDatabase } from '@/lib/db/open';
import { isSandbox } from '@/lib/env';
import { parseRegistration, registerProvider, RegistrationError } from '@/lib/providers/registration';

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('Usage: npm run provider:register -- <registration.json>');
  let input: unknown;
  try {
    input = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const registration = parseRegistration(input, isSandbox);
  const database = await openConfiguredDatabase();
  try {
    const clientId = await database.db.transaction((tx) => registerProvider(tx, registration));
    console.log(clientId);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof RegistrationError || error instanceof Error ? error.message : error);
  process.exit(1);
});
