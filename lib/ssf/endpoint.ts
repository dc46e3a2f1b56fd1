import type { IncomingMessage, ServerResponse } from 'node:http';
import { eq } from 'drizzle-orm';
import type Provider from 'oidc-provider';
import { providers } from '@/lib/db/schema';
import { authenticateProvider, sendJson } from '@/lib/oauth/provider-token';
import {
  createStream,
  deleteStream,
  parseStreamInput,
  pollEvents,
  requestVerification,
  setStreamStatus,
  SSF_SCOPE,
  STREAM_STATUSES,
  StreamError,
  streamConfiguration,
  streamOf,
  transmitterConfiguration,
  updateStream,
  type StreamStatus,
} from './streams';

// The SSF transmitter's HTTP side (lib/ssf/streams.ts): the configuration document, and
// <issuer>/ssf/{stream,status,verify,poll} for the provider's own token (client credentials, DPoP,
// audience <issuer>/ssf, scope `ssf`). Mounted in the OAuth catch-all before oidc-provider.

const METHODS: Record<string, string[]> = {
  stream: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
  status: ['GET', 'POST'],
  verify: ['POST'],
  poll: ['POST'],
};
const BODY_LIMIT = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new StreamError(400, 'invalid_request', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new StreamError(400, 'invalid_request', 'The request body is not JSON.');
  }
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

export async function handleSsf(req: IncomingMessage, res: ServerResponse, provider: Provider, path: string, query: URLSearchParams): Promise<void> {
  const issuer = provider.issuer;
  const method = req.method ?? 'GET';
  if (path === '/.well-known/ssf-configuration') {
    if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, { error: 'invalid_request', error_description: 'GET only.' }, { Allow: 'GET, HEAD' });
    return sendJson(res, 200, transmitterConfiguration(issuer), { 'Cache-Control': 'public, max-age=300' });
  }
  const route = path.slice('/ssf/'.length);
  const allowed = METHODS[route];
  if (!allowed) return sendJson(res, 404, { error: 'not_found', error_description: 'No such endpoint.' });
  if (!allowed.includes(method)) return sendJson(res, 405, { error: 'invalid_request', error_description: `This endpoint takes ${allowed.join(', ')}.` }, { Allow: allowed.join(', ') });

  const caller = await authenticateProvider(req, res, provider, { method, htu: `${issuer}/ssf/${route}`, audience: `${issuer}/ssf`, scope: SSF_SCOPE });
  if (!caller) return;
  const [row] = await caller.db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, caller.clientId));
  if (!row) return sendJson(res, 404, { error: 'not_found', error_description: 'No such stream.' });
  const providerId = row.id;
  const streamId = query.get('stream_id') ?? undefined;

  try {
    const body = method === 'GET' || method === 'DELETE' ? {} : await readJson(req);
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    switch (route) {
      case 'stream': {
        if (method === 'GET') {
          const stream = await streamOf(caller.db, providerId);
          // SSF 1.0 §8.1.1.2: with stream_id the one stream, without it every stream of the receiver.
          if (streamId !== undefined) {
            if (!stream || stream.streamId !== streamId) throw new StreamError(404, 'not_found', 'No such stream.');
            return sendJson(res, 200, streamConfiguration(stream, caller.clientId));
          }
          return sendJson(res, 200, stream ? [streamConfiguration(stream, caller.clientId)] : []);
        }
        if (method === 'DELETE') {
          await deleteStream(caller.db, providerId, streamId);
          return sendJson(res, 204, null);
        }
        const input = parseStreamInput(body);
        if (method === 'POST') return sendJson(res, 201, streamConfiguration(await createStream(caller.db, providerId, input), caller.clientId));
        return sendJson(res, 200, streamConfiguration(await updateStream(caller.db, providerId, input, method === 'PUT' ? 'replace' : 'patch'), caller.clientId));
      }
      case 'status': {
        if (method === 'GET') {
          const stream = await streamOf(caller.db, providerId);
          if (!stream || (streamId !== undefined && stream.streamId !== streamId)) throw new StreamError(404, 'not_found', 'No such stream.');
          return sendJson(res, 200, { stream_id: stream.streamId, status: stream.status, ...(stream.reason ? { reason: stream.reason } : {}) });
        }
        const status = str(fields.status);
        if (!status || !(STREAM_STATUSES as readonly string[]).includes(status)) throw new StreamError(400, 'invalid_request', 'status must be enabled, paused or disabled');
        const reason = str(fields.reason)?.slice(0, 500) ?? null;
        const stream = await setStreamStatus(caller.db, providerId, str(fields.stream_id), status as StreamStatus, reason);
        return sendJson(res, 200, { stream_id: stream.streamId, status: stream.status, ...(stream.reason ? { reason: stream.reason } : {}) });
      }
      case 'verify': {
        const state = fields.state === undefined ? undefined : str(fields.state);
        if (fields.state !== undefined && (state === undefined || state.length > 500)) throw new StreamError(400, 'invalid_request', 'state must be a string of at most 500 characters');
        await requestVerification(caller.db, providerId, caller.clientId, str(fields.stream_id), state);
        return sendJson(res, 204, null);
      }
      case 'poll':
        return sendJson(res, 200, await pollEvents(caller.db, providerId, body));
    }
  } catch (error) {
    if (error instanceof StreamError) {
      return sendJson(res, error.status, { error: error.error, error_description: error.message }, error.retryAfterS ? { 'Retry-After': String(error.retryAfterS) } : {});
    }
    throw error;
  }
}
