import { log } from './logger';

/** One fatal line and exit status 1: a process that cannot serve must not look alive. */
export function refuseToStart(error: unknown): never {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  log('start-up').fatal({ err: error instanceof Error ? error : undefined }, `The app did not start: ${message}`);
  process.exit(1);
}
