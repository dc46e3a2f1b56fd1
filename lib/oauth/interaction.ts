import type { IncomingMessage, ServerResponse } from 'node:http';
import { headers } from 'next/headers';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { parseGrantRequest, type GrantRequest } from './grant-management';
import { getOauthProvider } from './provider';
import { log } from '@/lib/observability/logger';

export type LoadedInteraction = {
  provider: Provider;
  uid: string;
  clientId: string;
  scope: string;
  /** Grant Management: a new grant (create), or the provider's grant to update or replace. */
  grant: GrantRequest;
  returnTo: string;
  finish: (result: InteractionResults) => Promise<string>;
};

async function requestOrigin(): Promise<{ origin: string; cookie: string; host: string }> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto')?.split(',')[0] ?? 'http';
  return { origin: `${proto}://${host}`, cookie: h.get('cookie') ?? '', host };
}

/**
 * The oidc-provider interaction behind /consent/[uid]. oidc-provider reads only the cookie
 * header from the request; the response is a stand-in (nothing is written to it). Returns null
 * when the interaction cookie is missing, expired or belongs to another interaction.
 */
export async function loadInteraction(uid: string): Promise<LoadedInteraction | null> {
  const { origin, cookie, host } = await requestOrigin();
  const provider = await getOauthProvider(origin);
  const req = { headers: { cookie, host }, url: `/consent/${uid}`, method: 'GET', socket: {} } as unknown as IncomingMessage;
  const res = { getHeader: () => undefined, setHeader: () => undefined, headersSent: false } as unknown as ServerResponse;
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return null;
    const clientId = details.params.client_id;
    if (typeof clientId !== 'string') return null;
    return {
      provider,
      uid,
      clientId,
      scope: typeof details.params.scope === 'string' ? details.params.scope : '',
      // Checked at PAR (lib/oauth/provider.ts extraParams): parses here as it did there.
      grant: parseGrantRequest(details.params),
      returnTo: details.returnTo,
      finish: (result) => provider.interactionResult(req, res, result, { mergeWithLastSubmission: false }),
    };
  } catch (error) {
    log('consent').warn({ uid, error: error instanceof Error ? error.message : String(error), description: (error as { error_description?: string }).error_description }, 'interaction not available');
    return null;
  }
}
