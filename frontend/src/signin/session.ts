/** The token of the signed-in user, for this tab only (sessionStorage). */
const KEY = "sonagram.token";

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  /** Who signed in, as the token names them (both stages' tokens are JWTs); null when it does not. */
  username: (): string | null => usernameOf(sessionStorage.getItem(KEY)),
  keep: (token: string): void => sessionStorage.setItem(KEY, token),
  forget: (): void => sessionStorage.removeItem(KEY),
};

/**
 * The username a token carries: Cognito's ID token as `cognito:username`, the local stage's
 * as `sub`. Read unverified: it only names who reviewed a box; the API checks the token.
 */
export function usernameOf(token: string | null): string | null {
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const name = claims["cognito:username"] ?? claims.sub;
    return typeof name === "string" ? name : null;
  } catch {
    return null;
  }
}
