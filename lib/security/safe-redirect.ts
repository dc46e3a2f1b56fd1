// Where the app may send a browser after sign-in, sign-out or an error: a path of this site, never
// another origin (issue 16: `/login?next=/%09/evil.example/` went to evil.example). One function for
// every `next` / `returnTo` / `callbackUrl` the app reads from a request.

const BASE = 'https://renkei.invalid';

/** Paths a sign-in must not lead back to (a loop) or that are not pages. */
const NOT_AFTER_SIGN_IN = [/^\/login(?:[/?#]|$)/, /^\/staff\/login(?:[/?#]|$)/, /^\/api\//];

/**
 * `value` if it is a path of this site, else `fallback`. Only printable ASCII (no control
 * characters such as the tab browsers drop, no spaces, no full-width or IDN look-alikes), no
 * backslash anywhere (browsers read it as a slash), a single leading slash, and resolved against a
 * fixed origin it must stay on that origin with a path that still starts with a single slash
 * (`/.//x` normalises to `//x`). The normalised form is returned.
 */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!/^[\x21-\x7e]+$/.test(value) || value.includes('\\')) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  // Percent-encoded forms of the same tricks (`/%2f%2fx`, `/%5cx`, `/%09/x`) are refused too:
  // some proxies and browsers decode before they route.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  if (!/^[\x20-\x7e]*$/.test(decoded) || decoded.includes('\\') || decoded.startsWith('//') || /^\/[\t ]*\//.test(decoded)) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.username || url.password) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//')) return fallback;
  return path;
}

/** After sign-in: a safe path that is not a sign-in page or an API route. */
export function safeNext(value: unknown, fallback = '/'): string {
  const path = safeRedirectPath(value, fallback);
  return NOT_AFTER_SIGN_IN.some((re) => re.test(path)) ? fallback : path;
}
