/**
 * Demo Provider — a tiny external service provider (a fintech app) that links a customer's
 * account at the bank through the bank's FAPI 2.0 authorization server:
 * PAR + PKCE (S256) + private_key_jwt + DPoP-bound tokens, RFC 9207 `iss` check,
 * refresh, introspection (RFC 7662) and revocation (RFC 7009). It also receives the bank's
 * notifications (Security Event Tokens, RFC 8417, pushed to POST /events per RFC 8935).
 *
 *   npm run demo:provider            # http://localhost:4000, bank at http://localhost:3000
 *   RENKEI_URL=http://localhost:3300 npm run demo:provider
 *
 * Node's built-in `http` module only; sessions are kept in memory (they are lost on restart).
 * This is sandbox demo code: it talks to the bank over plain http (allowInsecureRequests).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, importJWK, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { createSetReceiver, type ReceivedEvent, type SetReceipt } from './events';

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BANK_ORIGIN = (process.env.RENKEI_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const ISSUER = new URL(`${BANK_ORIGIN}/oauth`);
const PORT = parsePort(process.env.DEMO_PROVIDER_PORT) ?? 4000;
const CLIENT_ID = 'demo-provider';
// The registered redirect URI is http://localhost:4000/callback and the bank matches it exactly, so
// on another port the PAR is refused unless demo-provider is registered with that port's redirect URI.
const REDIRECT_URI = `http://localhost:${PORT}/callback`;
const SESSION_COOKIE = 'demo_provider_sid';
const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
const MAX_SESSIONS = 1000;
const MAX_BODY_BYTES = 16 * 1024;

const SCOPES = [
  { id: 'balances', ja: '口座残高', en: 'Balances', group: 'info' },
  { id: 'statements', ja: 'お取引明細', en: 'Statements', group: 'info' },
  { id: 'payees', ja: '登録済の振込先', en: 'Registered payees', group: 'info' },
  { id: 'transfers', ja: '振込', en: 'Transfers', group: 'tx' },
  { id: 'direct_debit_applications', ja: '口座振替に関するお申込み', en: 'Direct debit applications', group: 'tx' },
  { id: 'direct_debit_transfers', ja: '口座振替契約に基づく資金移動', en: 'Direct debit transfers', group: 'tx' },
] as const;
const SCOPE_IDS: ReadonlySet<string> = new Set(SCOPES.map((s) => s.id));
const DEFAULT_SCOPES: ReadonlySet<string> = new Set(['balances', 'statements', 'payees', 'transfers']);

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const client: oauth.Client = { client_id: CLIENT_ID, token_endpoint_auth_signing_alg: 'ES256' };

function parsePort(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// OAuth plumbing
// ---------------------------------------------------------------------------------------------

let clientAuthPromise: Promise<oauth.ClientAuth> | undefined;
function clientAuth(): Promise<oauth.ClientAuth> {
  clientAuthPromise ??= (async () => {
    const file = path.join(HERE, 'private-jwks.json');
    const jwks = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys?: (JWK & { kid?: string })[] };
    const jwk = jwks.keys?.[0];
    if (!jwk) throw new Error(`No key in ${file}`);
    const key = (await importJWK(jwk, jwk.alg ?? 'ES256')) as CryptoKey;
    return oauth.PrivateKeyJwt({ key, kid: jwk.kid });
  })();
  clientAuthPromise.catch(() => {
    clientAuthPromise = undefined;
  });
  return clientAuthPromise;
}

// Discovery is cached for a few minutes and retried after a failure (the bank may start later).
let discovered: { as: oauth.AuthorizationServer; at: number } | undefined;
async function authorizationServer(): Promise<oauth.AuthorizationServer> {
  if (discovered && Date.now() - discovered.at < 5 * 60 * 1000) return discovered.as;
  const response = await oauth.discoveryRequest(ISSUER, { ...insecure, algorithm: 'oidc' });
  const as = await oauth.processDiscoveryResponse(ISSUER, response);
  discovered = { as, at: Date.now() };
  return as;
}

// The bank's notifications are verified with the keys its discovery document publishes (jwks_uri).
let bankKeys: { uri: string; keys: ReturnType<typeof createRemoteJWKSet> } | undefined;
const notifications = createSetReceiver({
  audience: CLIENT_ID,
  verification: async () => {
    const as = await authorizationServer();
    if (!as.jwks_uri) throw new Error('the bank publishes no jwks_uri');
    if (bankKeys?.uri !== as.jwks_uri) bankKeys = { uri: as.jwks_uri, keys: createRemoteJWKSet(new URL(as.jwks_uri)) };
    return { issuer: as.issuer, keys: bankKeys.keys };
  },
});

/** Runs a DPoP-protected request once more when the server asks for a fresh DPoP nonce. */
async function withDpopNonceRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (oauth.isDPoPNonceError(err)) return run();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Sessions (in memory, keyed by an httpOnly cookie)
// ---------------------------------------------------------------------------------------------

type Notice = { kind: 'success' | 'info' | 'error'; title: string; detail?: string; error?: BankError };
type BankError = { error?: string; error_description?: string; status?: number; message?: string };

type Pending = {
  state: string;
  codeVerifier: string;
  dpopKeys: CryptoKeyPair;
  dpop: oauth.DPoPHandle;
  requestedScope: string;
  redirectUri: string;
  startedAt: number;
  /** Grant Management: adding items to the link we hold (grant_management_action=update). */
  updating?: string;
};

type ApiResult =
  | { at: number; kind: 'unavailable'; status: number }
  | { at: number; kind: 'json'; status: number; body: unknown }
  | { at: number; kind: 'other'; status: number; contentType: string; snippet: string }
  | { at: number; kind: 'error'; error: BankError };

type Linked = {
  dpopKeys: CryptoKeyPair;
  dpop: oauth.DPoPHandle;
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  scope?: string;
  requestedScope: string;
  /** Grant Management: the bank's id of this link (the token response's grant_id). */
  grantId?: string;
  grant?: { at: number; status: number; body: unknown };
  expiresAt?: number;
  linkedAt: number;
  refreshedAt?: number;
  introspection?: { at: number; body: oauth.IntrospectionResponse };
  api?: ApiResult;
  /** Set when the bank has told us the grant is gone (e.g. the customer stopped the link in the portal). */
  stoppedReason?: string;
};

type Session = {
  id: string;
  csrf: string;
  lastSeen: number;
  pending?: Pending;
  linked?: Linked;
  notices: Notice[];
};

const sessions = new Map<string, Session>();

function pruneSessions(): void {
  const now = Date.now();
  for (const [id, s] of sessions) if (now - s.lastSeen > SESSION_IDLE_MS) sessions.delete(id);
  while (sessions.size > MAX_SESSIONS) {
    const oldest = sessions.keys().next();
    if (oldest.done) break;
    sessions.delete(oldest.value);
  }
}

function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function getSession(req: http.IncomingMessage): Session | undefined {
  const id = readCookie(req, SESSION_COOKIE);
  const session = id ? sessions.get(id) : undefined;
  if (!session) return undefined;
  if (Date.now() - session.lastSeen > SESSION_IDLE_MS) {
    sessions.delete(session.id);
    return undefined;
  }
  session.lastSeen = Date.now();
  // Keep Map order ≈ LRU for pruning.
  sessions.delete(session.id);
  sessions.set(session.id, session);
  return session;
}

function getOrCreateSession(req: http.IncomingMessage, res: http.ServerResponse): Session {
  const existing = getSession(req);
  if (existing) return existing;
  pruneSessions();
  const session: Session = { id: randomBytes(32).toString('base64url'), csrf: randomBytes(24).toString('base64url'), lastSeen: Date.now(), notices: [] };
  sessions.set(session.id, session);
  // SameSite=Lax: the cookie must come along on the top-level redirect back from the bank.
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_IDLE_MS / 1000}`);
  return session;
}

function csrfOk(session: Session, form: URLSearchParams): boolean {
  const given = Buffer.from(form.get('csrf') ?? '');
  const expected = Buffer.from(session.csrf);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------------------------------------
// Errors from the bank → something a person can read
// ---------------------------------------------------------------------------------------------

function describeError(err: unknown): BankError {
  if (err instanceof oauth.ResponseBodyError) {
    return { error: err.error, error_description: err.error_description, status: err.status };
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    return { error: err.error, error_description: err.error_description };
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = err.cause[0];
    return {
      error: challenge?.parameters.error ?? `${challenge?.scheme ?? 'unknown'} challenge`,
      error_description: challenge?.parameters.error_description,
      status: err.status,
    };
  }
  if (err instanceof oauth.OperationProcessingError) {
    const status = err.cause instanceof Response ? err.cause.status : undefined;
    return { message: `${err.message} (${err.code})`, status };
  }
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` — ${err.cause.message}` : '';
    return { message: `${err.message}${cause}` };
  }
  return { message: String(err) };
}

function errorNotice(title: string, err: unknown): Notice {
  const error = describeError(err);
  console.error(`[demo-provider] ${title}:`, error);
  return { kind: 'error', title, error };
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

async function connect(session: Session, form: URLSearchParams): Promise<string | undefined> {
  const scopes = form.getAll('scope').filter((s) => SCOPE_IDS.has(s));
  if (scopes.length === 0) {
    session.notices.push({ kind: 'error', title: '項目を1つ以上選んでください / Choose at least one item' });
    return undefined;
  }
  // "Add items": ask the bank to update the grant we hold; the scope names everything the new
  // token should carry (what is granted already is not asked again).
  const updating = form.get('update') === '1' && session.linked?.grantId ? session.linked.grantId : undefined;
  const requestedScope = [...new Set([...(updating ? (session.linked?.scope ?? '').split(' ').filter(Boolean) : []), ...scopes])].join(' ');
  try {
    const as = await authorizationServer();
    if (!as.authorization_endpoint) throw new Error('The bank publishes no authorization_endpoint');
    const auth = await clientAuth();
    const dpopKeys = await oauth.generateKeyPair('ES256');
    const dpop = oauth.DPoP(client, dpopKeys);
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const params = new URLSearchParams({
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: requestedScope,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...(updating ? { grant_management_action: 'update', grant_id: updating } : {}),
    });
    const par = await withDpopNonceRetry(async () => {
      const response = await oauth.pushedAuthorizationRequest(as, client, auth, params, { ...insecure, DPoP: dpop });
      return oauth.processPushedAuthorizationResponse(as, client, response);
    });
    session.pending = { state, codeVerifier, dpopKeys, dpop, requestedScope, redirectUri: REDIRECT_URI, startedAt: Date.now(), updating };
    const url = new URL(as.authorization_endpoint);
    url.searchParams.set('client_id', CLIENT_ID);
    url.searchParams.set('request_uri', par.request_uri);
    return url.toString();
  } catch (err) {
    session.notices.push(errorNotice('連携を開始できませんでした / Could not start linking (PAR)', err));
    return undefined;
  }
}

async function callback(session: Session, requestUrl: string): Promise<void> {
  const pending = session.pending;
  if (!pending) {
    session.notices.push({
      kind: 'error',
      title: '進行中の連携がありません / No linking in progress',
      detail: 'このブラウザーで「銀行口座を連携する」から始めてください。 / Start again with “Connect your bank” in this browser.',
    });
    return;
  }
  const callbackUrl = new URL(requestUrl, pending.redirectUri);
  try {
    const as = await authorizationServer();
    let params: URLSearchParams;
    try {
      // Checks `iss` (RFC 9207) and `state`, and turns an error response into AuthorizationResponseError.
      params = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
    } catch (err) {
      session.pending = undefined;
      if (err instanceof oauth.AuthorizationResponseError && err.error === 'access_denied') {
        session.notices.push({
          kind: 'info',
          title: '連携がキャンセルされました / You denied the request',
          detail: '銀行の画面で「同意しない」が選ばれました。口座は連携されていません。 / Nothing was linked.',
          error: { error: err.error, error_description: err.error_description },
        });
        return;
      }
      session.notices.push(errorNotice('銀行からの応答を受け付けられません / The bank’s response was rejected', err));
      return;
    }
    session.pending = undefined;
    const auth = await clientAuth();
    const tokens = await withDpopNonceRetry(async () => {
      const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, pending.redirectUri, pending.codeVerifier, {
        ...insecure,
        DPoP: pending.dpop,
      });
      return oauth.processAuthorizationCodeResponse(as, client, response);
    });
    session.linked = {
      dpopKeys: pending.dpopKeys,
      dpop: pending.dpop,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      tokenType: tokens.token_type,
      scope: tokens.scope,
      requestedScope: pending.requestedScope,
      grantId: typeof tokens.grant_id === 'string' ? tokens.grant_id : undefined,
      expiresAt: typeof tokens.expires_in === 'number' ? Date.now() + tokens.expires_in * 1000 : undefined,
      linkedAt: pending.updating && session.linked ? session.linked.linkedAt : Date.now(),
    };
    session.notices.push(
      pending.updating
        ? { kind: 'success', title: '連携に項目を追加しました / Items added to your link', detail: `grant_id: ${String(tokens.grant_id)} (${tokens.grant_id === pending.updating ? 'unchanged' : 'changed'})` }
        : { kind: 'success', title: '口座を連携しました / Your bank account is linked' },
    );
    session.linked.api = await callProviderApi(session.linked);
  } catch (err) {
    session.pending = undefined;
    session.notices.push(errorNotice('トークンを取得できませんでした / Could not redeem the authorization code', err));
  }
}

async function refresh(session: Session): Promise<void> {
  const linked = session.linked;
  if (!linked) return void session.notices.push({ kind: 'error', title: '連携していません / Not linked' });
  if (!linked.refreshToken) return void session.notices.push({ kind: 'error', title: 'リフレッシュトークンがありません / No refresh token was issued' });
  const refreshToken = linked.refreshToken;
  try {
    const as = await authorizationServer();
    const auth = await clientAuth();
    const tokens = await withDpopNonceRetry(async () => {
      const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, { ...insecure, DPoP: linked.dpop });
      return oauth.processRefreshTokenResponse(as, client, response);
    });
    linked.accessToken = tokens.access_token;
    if (tokens.refresh_token) linked.refreshToken = tokens.refresh_token;
    linked.tokenType = tokens.token_type;
    if (tokens.scope !== undefined) linked.scope = tokens.scope;
    linked.expiresAt = typeof tokens.expires_in === 'number' ? Date.now() + tokens.expires_in * 1000 : undefined;
    linked.refreshedAt = Date.now();
    linked.introspection = undefined;
    linked.stoppedReason = undefined;
    session.notices.push({
      kind: 'success',
      title: 'トークンを更新しました / Token refreshed',
      detail: `scope: ${tokens.scope ?? '(not returned)'}${tokens.refresh_token && tokens.refresh_token !== refreshToken ? ' · new refresh token (rotated)' : ''}`,
    });
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError && err.error === 'invalid_grant') {
      linked.stoppedReason = '銀行がリフレッシュトークンを受け付けません（invalid_grant）。連携が銀行側で停止された可能性があります。 / The bank no longer accepts the refresh token: the link was probably stopped at the bank.';
    }
    session.notices.push(errorNotice('トークンを更新できませんでした / Refresh failed', err));
  }
}

async function introspect(session: Session): Promise<void> {
  const linked = session.linked;
  if (!linked) return void session.notices.push({ kind: 'error', title: '連携していません / Not linked' });
  try {
    const as = await authorizationServer();
    const auth = await clientAuth();
    const response = await oauth.introspectionRequest(as, client, auth, linked.accessToken, insecure);
    linked.introspection = { at: Date.now(), body: await oauth.processIntrospectionResponse(as, client, response) };
  } catch (err) {
    session.notices.push(errorNotice('introspect に失敗しました / Introspection failed', err));
  }
}

/**
 * Grant Management: our own token (client credentials, DPoP-bound), then GET the grant the bank
 * holds for this link: the items granted now, the accounts, the status and the expiry.
 */
async function queryGrant(session: Session): Promise<void> {
  const linked = session.linked;
  if (!linked?.grantId) return void session.notices.push({ kind: 'error', title: 'grant_id がありません / No grant_id for this link' });
  try {
    const as = await authorizationServer();
    if (!as.grant_management_endpoint) throw new Error('The bank publishes no grant_management_endpoint');
    const auth = await clientAuth();
    const keys = await oauth.generateKeyPair('ES256');
    const dpop = oauth.DPoP(client, keys);
    const tokens = await withDpopNonceRetry(async () => {
      const response = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams({ scope: 'grant_management_query' }), { ...insecure, DPoP: dpop });
      return oauth.processClientCredentialsResponse(as, client, response);
    });
    const url = new URL(`${String(as.grant_management_endpoint)}/${encodeURIComponent(linked.grantId)}`);
    let response: Response;
    try {
      response = await oauth.protectedResourceRequest(tokens.access_token, 'GET', url, new Headers(), null, { ...insecure, DPoP: dpop });
    } catch (err) {
      if (!(err instanceof oauth.WWWAuthenticateChallengeError)) throw err;
      response = err.response;
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: shown as text
    }
    linked.grant = { at: Date.now(), status: response.status, body };
  } catch (err) {
    session.notices.push(errorNotice('グラントを照会できませんでした / Could not query the grant', err));
  }
}

async function revoke(session: Session): Promise<void> {
  const linked = session.linked;
  if (!linked) return void session.notices.push({ kind: 'error', title: '連携していません / Not linked' });
  const token = linked.refreshToken ?? linked.accessToken;
  try {
    const as = await authorizationServer();
    const auth = await clientAuth();
    const response = await oauth.revocationRequest(as, client, auth, token, {
      ...insecure,
      additionalParameters: { token_type_hint: linked.refreshToken ? 'refresh_token' : 'access_token' },
    });
    await oauth.processRevocationResponse(response);
  } catch (err) {
    session.notices.push(errorNotice('連携を解除できませんでした / Revocation failed', err));
    return;
  }
  // Check what the bank now says about the access token of the stopped link.
  let check = '';
  try {
    const as = await authorizationServer();
    const auth = await clientAuth();
    const response = await oauth.introspectionRequest(as, client, auth, linked.accessToken, insecure);
    const body = await oauth.processIntrospectionResponse(as, client, response);
    check = `access token introspection after revocation: active = ${String(body.active)}`;
  } catch (err) {
    const e = describeError(err);
    check = `access token introspection after revocation failed: ${e.error ?? e.message ?? 'error'}`;
  }
  session.linked = undefined;
  session.notices.push({
    kind: 'success',
    title: '連携を解除しました / Link revoked',
    detail: `リフレッシュトークンを失効させました。銀行側の連携も停止されます。 / The refresh token was revoked; the bank stops the link. (${check})`,
  });
}

async function callProviderApi(linked: Linked): Promise<ApiResult> {
  const url = new URL(`${BANK_ORIGIN}/api/v1/accounts`);
  try {
    const response = await withDpopNonceRetry(async () => {
      const r = await oauth.protectedResourceRequest(linked.accessToken, 'GET', url, new Headers({ accept: 'application/json' }), undefined, {
        ...insecure,
        DPoP: linked.dpop,
      });
      return r;
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status === 404) {
      await response.body?.cancel();
      return { at: Date.now(), kind: 'unavailable', status: 404 };
    }
    const text = await response.text();
    if (/\bjson\b/i.test(contentType)) {
      try {
        const body: unknown = JSON.parse(text);
        if (!response.ok && body && typeof body === 'object' && 'error' in body) {
          const b = body as { error?: unknown; error_description?: unknown };
          return {
            at: Date.now(),
            kind: 'error',
            error: { error: String(b.error), error_description: typeof b.error_description === 'string' ? b.error_description : undefined, status: response.status },
          };
        }
        return { at: Date.now(), kind: 'json', status: response.status, body };
      } catch {
        // fall through: not really JSON
      }
    }
    return { at: Date.now(), kind: 'other', status: response.status, contentType, snippet: text.slice(0, 400) };
  } catch (err) {
    return { at: Date.now(), kind: 'error', error: describeError(err) };
  }
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const tokyo = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'medium' });
function when(ms: number): string {
  return `${tokyo.format(new Date(ms))} JST`;
}
function relative(ms: number): string {
  const s = Math.round((ms - Date.now()) / 1000);
  const abs = Math.abs(s);
  const text = abs < 90 ? `${abs} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return s >= 0 ? `あと ${text} / in ${text}` : `${text} 前に期限切れ / expired ${text} ago`;
}

function scopeLabel(id: string): string {
  const s = SCOPES.find((x) => x.id === id);
  return s ? `${s.ja} / ${s.en}` : id;
}

function scopeChips(scope: string | undefined): string {
  const ids = (scope ?? '').split(' ').filter(Boolean);
  if (ids.length === 0) return '<span class="muted">（なし / none）</span>';
  return `<ul class="chips">${ids.map((id) => `<li><code>${esc(id)}</code> <span>${esc(scopeLabel(id))}</span></li>`).join('')}</ul>`;
}

function renderBankError(e: BankError): string {
  const rows: string[] = [];
  if (e.error) rows.push(`<dt>error</dt><dd><code>${esc(e.error)}</code></dd>`);
  if (e.error_description) rows.push(`<dt>error_description</dt><dd>${esc(e.error_description)}</dd>`);
  if (e.status !== undefined) rows.push(`<dt>HTTP status</dt><dd>${esc(e.status)}</dd>`);
  if (e.message) rows.push(`<dt>message</dt><dd>${esc(e.message)}</dd>`);
  return rows.length ? `<dl class="kv small">${rows.join('')}</dl>` : '';
}

function renderNotices(notices: Notice[]): string {
  return notices
    .map(
      (n) => `<div class="notice ${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}" data-notice="${esc(n.kind)}">
  <p class="notice-title">${esc(n.title)}</p>
  ${n.detail ? `<p>${esc(n.detail)}</p>` : ''}
  ${n.error ? renderBankError(n.error) : ''}
</div>`,
    )
    .join('\n');
}

/** Grant Management update: the items this link does not have yet, to ask the bank for. */
function renderAddItems(csrf: string, granted: Set<string>): string {
  const missing = SCOPES.filter((s) => !granted.has(s.id));
  if (missing.length === 0) return '';
  return `<form method="post" action="/connect" id="add-items-form" class="add-items">
    ${csrf}<input type="hidden" name="update" value="1">
    <fieldset>
      <legend>項目を追加 / Add items to this link</legend>
      ${missing.map((s) => `<label class="check"><input type="checkbox" name="scope" value="${esc(s.id)}"> <span><span class="check-name">${esc(s.ja)}</span> <span class="check-en">${esc(s.en)}</span></span></label>`).join('\n')}
    </fieldset>
    <button type="submit" id="add-items">銀行で追加に同意する / Ask the bank to add them</button>
  </form>`;
}

function renderConnectForm(session: Session): string {
  const box = (group: 'info' | 'tx') =>
    SCOPES.filter((s) => s.group === group)
      .map(
        (s) => `<label class="check"><input type="checkbox" name="scope" value="${esc(s.id)}"${DEFAULT_SCOPES.has(s.id) ? ' checked' : ''}>
  <span><span class="check-name">${esc(s.ja)}</span> <span class="check-en">${esc(s.en)}</span><br><code>${esc(s.id)}</code></span></label>`,
      )
      .join('\n');
  return `<section class="card">
  <h2>口座を連携 / Link your bank account</h2>
  <p class="muted">れんけい銀行の口座をこのアプリに連携します。銀行の画面でログオンし、提供する項目に同意してください。<br>
  Link your Renkei Bank account. You will sign in at the bank and choose what to share.</p>
  <form method="post" action="/connect" id="connect-form">
    <input type="hidden" name="csrf" value="${esc(session.csrf)}">
    <fieldset>
      <legend>情報の参照 / Information</legend>
      ${box('info')}
    </fieldset>
    <fieldset>
      <legend>お取引の指示 / Transactions</legend>
      ${box('tx')}
    </fieldset>
    <button type="submit" class="primary">銀行口座を連携する / Connect your bank</button>
  </form>
</section>`;
}

function renderApi(api: ApiResult | undefined): string {
  if (!api) return '<p class="muted">まだ呼び出していません / Not called yet.</p>';
  const head = `<p class="muted small">GET <code>${esc(`${BANK_ORIGIN}/api/v1/accounts`)}</code> · ${esc(when(api.at))}</p>`;
  switch (api.kind) {
    case 'unavailable':
      return `${head}<div class="notice info" data-api="unavailable"><p class="notice-title">Provider API not available yet</p><p>銀行の提供者向けAPI（/api/v1）はまだ公開されていません（HTTP 404）。</p></div>`;
    case 'json':
      return `${head}<p data-api="json">HTTP ${esc(api.status)}</p><pre>${esc(JSON.stringify(api.body, null, 2))}</pre>`;
    case 'other':
      return `${head}<div class="notice error" data-api="other"><p class="notice-title">Unexpected response: HTTP ${esc(api.status)} ${esc(api.contentType)}</p><pre>${esc(api.snippet)}</pre></div>`;
    case 'error':
      return `${head}<div class="notice error" data-api="error"><p class="notice-title">API error</p>${renderBankError(api.error)}</div>`;
  }
}

function renderLinked(session: Session, linked: Linked): string {
  const csrf = `<input type="hidden" name="csrf" value="${esc(session.csrf)}">`;
  const requested = new Set(linked.requestedScope.split(' '));
  const granted = new Set((linked.scope ?? '').split(' ').filter(Boolean));
  const notGranted = [...requested].filter((s) => !granted.has(s));
  const intro = linked.introspection;
  const expired = linked.expiresAt !== undefined && linked.expiresAt <= Date.now();
  const status = linked.stoppedReason
    ? { heading: '<h2>連携停止 / Link stopped</h2>', badge: '● stopped', ok: false }
    : intro && !intro.body.active
      ? { heading: '<h2>連携中 / Linked</h2>', badge: '● token inactive', ok: false }
      : expired
        ? { heading: '<h2>連携中 / Linked</h2>', badge: '● token expired — refresh', ok: false }
        : { heading: '<h2>連携中 / Linked</h2>', badge: '● active', ok: true };
  return `<section class="card" id="linked">
  <div class="card-head">
    ${status.heading}
    <span class="badge ${status.ok ? 'ok' : 'off'}" id="link-badge">${esc(status.badge)}</span>
  </div>
  ${
    linked.stoppedReason
      ? `<div class="notice error" id="link-stopped"><p class="notice-title">連携が停止されています / This link has stopped</p><p>${esc(linked.stoppedReason)}</p>
    <form method="post" action="/forget" class="inline">${csrf}<button type="submit" id="forget">連携情報を消してやり直す / Forget and link again</button></form></div>`
      : ''
  }
  <dl class="kv">
    <dt>許可された項目<br><span class="muted">Granted scope</span></dt>
    <dd id="granted-scope" data-scope="${esc(linked.scope ?? '')}">${scopeChips(linked.scope)}
      ${notGranted.length ? `<p class="muted small">要求したが許可されなかった項目 / Requested but not granted: ${notGranted.map((s) => `<code>${esc(s)}</code>`).join(' ')}</p>` : ''}</dd>
    <dt>grant_id<br><span class="muted">Grant Management</span></dt>
    <dd id="grant-id">${linked.grantId ? `<code>${esc(linked.grantId)}</code>` : '<span class="muted">—</span>'}</dd>
    <dt>アクセストークン有効期限<br><span class="muted">Access token expires</span></dt>
    <dd id="token-expiry">${linked.expiresAt ? `${esc(when(linked.expiresAt))} <span class="muted">(${esc(relative(linked.expiresAt))})</span>` : '<span class="muted">unknown (no expires_in)</span>'}</dd>
    <dt>トークン種別<br><span class="muted">Token type</span></dt>
    <dd><code>${esc(linked.tokenType.toLowerCase() === 'dpop' ? 'DPoP' : linked.tokenType)}</code> <span class="muted">(DPoP-bound, ES256 key)</span> · refresh token: ${linked.refreshToken ? 'yes' : 'no'}</dd>
    <dt>連携日時<br><span class="muted">Linked at</span></dt>
    <dd>${esc(when(linked.linkedAt))}</dd>
    ${linked.refreshedAt ? `<dt>最終更新<br><span class="muted">Last refreshed</span></dt><dd>${esc(when(linked.refreshedAt))}</dd>` : ''}
  </dl>
  <div class="actions">
    <form method="post" action="/refresh">${csrf}<button type="submit" id="refresh">更新 / Refresh token</button></form>
    <form method="post" action="/introspect">${csrf}<button type="submit" id="introspect">確認 / Introspect</button></form>
    <form method="post" action="/api">${csrf}<button type="submit" id="call-api">口座一覧 / Call API</button></form>
    ${linked.grantId ? `<form method="post" action="/grant">${csrf}<button type="submit" id="query-grant">グラントを照会 / Query grant</button></form>` : ''}
  </div>
  ${linked.grantId && !linked.stoppedReason ? renderAddItems(csrf, granted) : ''}
  ${
    linked.grant
      ? `<div id="grant" class="grant"><p class="muted small">GET grant_management_endpoint/${esc(linked.grantId ?? '')} · ${esc(when(linked.grant.at))} · HTTP ${esc(linked.grant.status)}</p>
  <pre id="grant-json">${esc(JSON.stringify(linked.grant.body, null, 2))}</pre></div>`
      : ''
  }
  <div class="danger-zone">
    <p class="small muted">連携を解除すると、銀行側の連携も停止されます。<br>Revoking stops the link at the bank as well.</p>
    <form method="post" action="/revoke">${csrf}<button type="submit" id="revoke" class="danger">連携を解除 / Revoke</button></form>
  </div>
</section>
<section class="card" id="introspection">
  <h2>トークンの状態 / Introspection</h2>
  ${
    intro
      ? `<p class="muted small">POST introspection_endpoint · ${esc(when(intro.at))}</p>
  <dl class="kv">
    <dt>active</dt><dd id="introspect-active" data-active="${esc(intro.body.active)}"><span class="badge ${intro.body.active ? 'ok' : 'off'}">${esc(intro.body.active)}</span></dd>
    <dt>scope</dt><dd id="introspect-scope">${intro.body.scope ? `<code>${esc(intro.body.scope)}</code>` : '<span class="muted">—</span>'}</dd>
    ${typeof intro.body.exp === 'number' ? `<dt>exp</dt><dd>${esc(when(intro.body.exp * 1000))}</dd>` : ''}
  </dl>
  <details><summary>JSON</summary><pre>${esc(JSON.stringify(intro.body, null, 2))}</pre></details>`
      : '<p class="muted">「確認 / Introspect」で銀行にアクセストークンの状態を問い合わせます。 / Ask the bank about the access token.</p>'
  }
</section>
<section class="card" id="api">
  <h2>口座情報 API / Provider API</h2>
  ${renderApi(linked.api)}
</section>`;
}

function renderNotifications(events: readonly ReceivedEvent[]): string {
  const rows = events
    .map(
      (e) => `<tr data-event-type="${esc(e.type)}">
      <td>${esc(when(e.receivedAt))}</td>
      <td><code title="${esc(e.typeUri)}">${esc(e.type)}</code>${Object.keys(e.detail).length ? `<div class="muted small">${esc(JSON.stringify(e.detail))}</div>` : ''}</td>
      <td><code>${esc(e.subject)}</code></td>
      <td><code class="small">${esc(e.jti)}</code></td>
    </tr>`,
    )
    .join('\n');
  return `<section class="card" id="notifications">
  <h2>銀行からの通知 / Notifications from the bank</h2>
  <p class="muted small">POST /events · Security Event Tokens (RFC 8417, RFC 8935), verified with the bank’s JWKS · ${esc(events.length)} / 50</p>
  ${
    events.length
      ? `<div class="table-wrap"><table><thead><tr><th>受信 / Received</th><th>種類 / Type</th><th>対象 / Subject</th><th>jti</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : '<p class="muted">まだ通知はありません / No notifications yet.</p>'
  }
</section>`;
}

function page(session: Session | undefined, notices: Notice[]): string {
  const body = session?.linked
    ? renderLinked(session, session.linked)
    : session
      ? renderConnectForm(session)
      : '<p><a href="/">← トップへ戻る / Back to the start</a></p>';
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>デモ連携アプリ / Demo Provider</title>
<style>
  :root { --ink:#1d2330; --muted:#5b6474; --line:#e2e6ee; --bg:#f4f6fa; --card:#fff; --accent:#0f7b6c; --accent-soft:#e5f4f1; --danger:#b42318; --danger-soft:#fdecea; --info:#1f5fbf; --info-soft:#eaf1fc; }
  * { box-sizing: border-box; }
  body { margin:0; background:var(--bg); color:var(--ink); font: 15px/1.6 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Noto Sans CJK JP", sans-serif; }
  header { background:var(--card); border-bottom:1px solid var(--line); }
  .wrap { max-width: 760px; margin: 0 auto; padding: 0 20px; }
  header .wrap { display:flex; align-items:center; gap:12px; padding-top:14px; padding-bottom:14px; }
  .logo { width:36px; height:36px; border-radius:10px; background:var(--accent); color:#fff; display:grid; place-items:center; font-weight:700; }
  header h1 { font-size:18px; margin:0; line-height:1.2; }
  header .sub { color:var(--muted); font-size:12px; }
  header .bank { margin-left:auto; font-size:12px; color:var(--muted); text-align:right; }
  main.wrap { padding-top:24px; padding-bottom:40px; }
  .card { background:var(--card); border:1px solid var(--line); border-radius:14px; padding:20px 22px; margin-bottom:16px; box-shadow:0 1px 2px rgb(16 24 40 / 4%); }
  .card h2 { font-size:17px; margin:0 0 10px; }
  .card-head { display:flex; align-items:center; justify-content:space-between; }
  fieldset { border:1px solid var(--line); border-radius:10px; margin:14px 0; padding:8px 14px 10px; }
  legend { font-weight:600; font-size:13px; color:var(--muted); padding:0 6px; }
  .check { display:flex; gap:10px; align-items:flex-start; padding:7px 0; cursor:pointer; }
  .check input { margin-top:5px; width:16px; height:16px; accent-color:var(--accent); }
  .check-name { font-weight:600; } .check-en { color:var(--muted); }
  code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background:#f1f3f7; border-radius:5px; padding:1px 5px; }
  button { font: inherit; font-weight:600; border-radius:10px; border:1px solid var(--line); background:#fff; color:var(--ink); padding:9px 16px; cursor:pointer; }
  button:hover { background:#f7f8fb; }
  button:focus-visible { outline:3px solid #7cc4b8; outline-offset:2px; }
  button.primary { background:var(--accent); border-color:var(--accent); color:#fff; width:100%; padding:12px 16px; font-size:16px; }
  button.primary:hover { background:#0c6a5d; }
  button.danger { color:var(--danger); border-color:#f3c1bb; }
  button.danger:hover { background:var(--danger-soft); }
  .actions { display:flex; flex-wrap:wrap; gap:8px; margin-top:16px; padding-top:16px; border-top:1px solid var(--line); }
  .actions form, .danger-zone form { margin:0; }
  .danger-zone { display:flex; align-items:center; justify-content:space-between; gap:12px; margin-top:16px; padding:12px 14px; border-radius:10px; background:#fbf7f6; }
  .danger-zone p { margin:0; }
  .muted { color:var(--muted); } .small { font-size:13px; }
  .kv { display:grid; grid-template-columns: 190px 1fr; gap:10px 16px; margin:0; }
  .kv dt { font-weight:600; font-size:13.5px; line-height:1.35; }
  .kv dd { margin:0; min-width:0; overflow-wrap:anywhere; }
  .kv.small { grid-template-columns: 150px 1fr; font-size:13.5px; margin-top:6px; gap:4px 12px; }
  .kv dd > p { margin:6px 0 0; }
  .chips { list-style:none; margin:0; padding:0; display:flex; flex-wrap:wrap; gap:6px; }
  .chips li { background:var(--accent-soft); border-radius:999px; padding:3px 10px 3px 4px; font-size:13px; }
  .chips li code { background:#fff; border-radius:999px; }
  .badge { display:inline-block; border-radius:999px; padding:2px 10px; font-size:12.5px; font-weight:700; }
  .badge.ok { background:var(--accent-soft); color:var(--accent); } .badge.off { background:#eceef2; color:var(--muted); }
  .notice { border-radius:12px; padding:12px 16px; margin-bottom:16px; border:1px solid; }
  .notice p { margin:2px 0; } .notice-title { font-weight:700; }
  .notice.success { background:var(--accent-soft); border-color:#b9e0d8; }
  .notice.info { background:var(--info-soft); border-color:#c5d8f5; }
  .notice.error { background:var(--danger-soft); border-color:#f3c1bb; }
  .card .notice { margin:8px 0 0; }
  .card-head + .notice { margin:0 0 14px; }
  form.inline { margin:10px 0 2px; }
  pre { background:#0f1729; color:#e6edf7; border-radius:10px; padding:12px 14px; overflow:auto; font-size:12.5px; max-height:320px; margin:8px 0 0; }
  details summary { cursor:pointer; color:var(--muted); font-size:13px; margin-top:10px; }
  .table-wrap { overflow-x:auto; }
  table { border-collapse:collapse; width:100%; font-size:13px; }
  th, td { text-align:left; vertical-align:top; padding:6px 8px; border-top:1px solid var(--line); overflow-wrap:anywhere; }
  th { font-size:12px; color:var(--muted); border-top:0; }
  footer { color:var(--muted); font-size:12px; text-align:center; padding-bottom:32px; }
  @media (max-width: 560px) { header .bank { display:none; } .kv, .kv.small { grid-template-columns: 1fr; gap:2px; } .kv dd { margin-bottom:8px; } .danger-zone { flex-direction:column; align-items:stretch; } }
</style>
</head>
<body>
<header><div class="wrap">
  <div class="logo" aria-hidden="true">D</div>
  <div><h1>デモ連携アプリ / Demo Provider</h1><div class="sub">家計簿アプリ（サンドボックス） · client_id <code>${esc(CLIENT_ID)}</code></div></div>
  <div class="bank">接続先の銀行 / Bank<br><a href="${esc(BANK_ORIGIN)}/">${esc(BANK_ORIGIN)}</a></div>
</div></header>
<main class="wrap">
${renderNotices(notices)}
${body}
${session ? renderNotifications(notifications.events()) : ''}
</main>
<footer class="wrap">FAPI 2.0: PAR · PKCE S256 · private_key_jwt · DPoP · RFC 9207 iss — issuer <code>${esc(ISSUER.href)}</code></footer>
</body>
</html>`;
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' " + new URL(BANK_ORIGIN).origin + "; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function send(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(html);
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(303, { ...SECURITY_HEADERS, Location: location });
  res.end();
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** RFC 8935 §2: 202 when accepted; 400 with {err, description} when the SET is refused. */
async function receiveNotification(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let receipt: SetReceipt;
  try {
    receipt = await notifications.receive(req.headers['content-type'], await readBody(req));
  } catch (err) {
    // The bank's discovery or JWKS could not be fetched: a server-side condition, so the bank retries.
    console.error('[demo-provider] cannot verify a notification:', describeError(err));
    res.writeHead(503, { 'Cache-Control': 'no-store' });
    return void res.end();
  }
  if (receipt.status === 202) {
    res.writeHead(202, { 'Cache-Control': 'no-store' });
    return void res.end();
  }
  console.warn(`[demo-provider] refused a notification: ${receipt.body.err} (${receipt.body.description})`);
  res.writeHead(400, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(receipt.body));
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';

  if (method === 'GET' && url.pathname === '/') {
    const session = getOrCreateSession(req, res);
    const notices = session.notices.splice(0);
    return send(res, 200, page(session, notices));
  }

  if (method === 'GET' && url.pathname === '/callback') {
    const session = getSession(req);
    if (!session) {
      return send(
        res,
        400,
        page(undefined, [
          {
            kind: 'error',
            title: 'セッションがありません / No session',
            detail: 'このブラウザーで、このアプリのトップページから連携を始めてください。 / Start linking from this app’s start page in this browser.',
          },
        ]),
      );
    }
    await callback(session, req.url ?? '/callback');
    return redirect(res, '/');
  }

  // Server to server (the bank's push): no session, no CSRF token; the SET's signature is the proof.
  if (method === 'POST' && url.pathname === '/events') return receiveNotification(req, res);

  if (method === 'GET' && url.pathname === '/favicon.ico') {
    res.writeHead(204);
    return void res.end();
  }

  if (method === 'POST' && ['/connect', '/refresh', '/introspect', '/revoke', '/api', '/forget', '/grant'].includes(url.pathname)) {
    const session = getSession(req);
    const form = await readForm(req);
    if (!session || !csrfOk(session, form)) {
      const s = getOrCreateSession(req, res);
      s.notices.push({ kind: 'error', title: 'セッションの有効期限が切れました / Your session expired — please try again' });
      return redirect(res, '/');
    }
    switch (url.pathname) {
      case '/connect': {
        const location = await connect(session, form);
        return redirect(res, location ?? '/');
      }
      case '/refresh':
        await refresh(session);
        break;
      case '/introspect':
        await introspect(session);
        break;
      case '/grant':
        await queryGrant(session);
        break;
      case '/revoke':
        await revoke(session);
        break;
      case '/forget':
        session.linked = undefined;
        session.notices.push({ kind: 'info', title: '連携情報を削除しました / Local link data removed', detail: 'もう一度連携できます。 / You can link again.' });
        break;
      case '/api':
        if (session.linked) session.linked.api = await callProviderApi(session.linked);
        else session.notices.push({ kind: 'error', title: '連携していません / Not linked' });
        break;
    }
    return redirect(res, '/');
  }

  send(res, 404, page(undefined, [{ kind: 'error', title: 'Not found' }]));
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    console.error('[demo-provider] unexpected error:', err);
    if (res.headersSent) return void res.end();
    send(res, 500, page(undefined, [errorNotice('予期しないエラー / Unexpected error', err)]));
  });
});
server.on('clientError', (_err, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  else socket.destroy();
});
server.on('error', (err) => {
  console.error(`[demo-provider] cannot listen on port ${PORT}:`, err.message);
  process.exit(1);
});
process.on('unhandledRejection', (reason) => console.error('[demo-provider] unhandled rejection:', reason));

server.listen(PORT, () => {
  console.log(`Demo Provider: http://localhost:${PORT}  (bank: ${BANK_ORIGIN}, issuer: ${ISSUER.href})`);
  if (PORT !== 4000) {
    console.warn(`Note: using redirect URI ${REDIRECT_URI}, but demo-provider is registered with http://localhost:4000/callback;`);
    console.warn('      the bank matches redirect URIs exactly and will refuse the PAR unless this one is registered.');
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
