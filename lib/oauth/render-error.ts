import type { KoaContextWithOIDC } from 'oidc-provider';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Errors the authorization server cannot send back to the provider (unknown client, a redirect
 * URI that is not registered exactly, a missing or expired request_uri, …): a page for the
 * customer, never a redirect. Both languages, since no session decides one here.
 */
export function renderOauthError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>連携を開始できませんでした / The link could not be started</title>
<style>body{font-family:system-ui,'Hiragino Sans','Noto Sans JP',sans-serif;background:#f4f6f9;color:#1a2230;margin:0;padding:2rem 1rem;line-height:1.75}
main{max-width:34rem;margin:0 auto;background:#fff;border:1px solid #d7dde6;border-radius:.75rem;padding:1.5rem}h1{font-size:1.25rem;margin:0 0 .5rem}code{font-size:.875rem;color:#4a5668}</style>
</head><body><main>
<h1>連携を開始できませんでした</h1>
<p>連携サービス事業者からの要求に問題があります。事業者のアプリに戻り、もう一度お試しください。解決しない場合は事業者にお問い合わせください。</p>
<h1 lang="en">The link could not be started</h1>
<p lang="en">The provider's request was not valid. Go back to the provider's app and try again; if it keeps happening, contact the provider.</p>
<p><code>${escape(out.error)}${out.error_description ? `: ${escape(out.error_description)}` : ''}</code></p>
</main></body></html>`;
}
