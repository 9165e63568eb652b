const KEY = 'warden.token';

/**
 * The bearer token the identity provider handed over in the URL fragment (`#token=<JWT>`),
 * kept in sessionStorage (this tab only) and removed from the address bar so it is neither
 * bookmarked nor shown. Returns the stored token when the fragment has none.
 */
export function takeSessionToken(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const handedOver = fragment.get('token');
  if (handedOver) {
    sessionStorage.setItem(KEY, handedOver);
    fragment.delete('token');
    const rest = fragment.toString();
    const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
    window.history.replaceState(window.history.state, '', url);
  }
  return sessionStorage.getItem(KEY);
}

/** Forgets the token (signing out, or after the server refused it). */
export function forgetSessionToken(): void {
  sessionStorage.removeItem(KEY);
}
