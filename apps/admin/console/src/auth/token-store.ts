/**
 * The admin token lives in sessionStorage only: it is gone when the browser tab closes, and it
 * is never written to localStorage or a cookie.
 */
const TOKEN_KEY = 'rcc.console.token';

export function readToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * A sign-in link (`/?token=...`, printed by the demo) signs in directly; the token is then removed
 * from the address bar so it does not stay in the history or get copied along with the URL.
 */
export function takeTokenFromAddress(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  return token.trim() || null;
}
