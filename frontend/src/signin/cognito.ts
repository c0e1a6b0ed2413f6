/**
 * The cloud stage's sign-in: Cognito's hosted UI, authorization code + PKCE (RFC 7636, S256).
 *
 * infra/api.py makes the user pool's public web client (no secret, code grant only, the UI's
 * origin + "/" as callback and sign-out URL) and the hosted UI's domain. The page sends the
 * browser there with a fresh verifier's challenge and a random state, both kept in this tab;
 * back with `?code=&state=`, it checks the state and trades the code and verifier for tokens.
 * The ID token is the API's bearer (API Gateway's Cognito authorizer checks it).
 */

/** Where the hosted UI is and who the page is to it (from /config.json). */
export interface CognitoAuth {
  kind: "cognito";
  /** The hosted UI's host, e.g. `sonagram-123.auth.eu-west-1.amazoncognito.com`. */
  domain: string;
  clientId: string;
  /** One of the client's callback URLs: the page itself. */
  redirectUri: string;
}

const SCOPES = "openid email profile";
// The verifier and state of the sign-in this tab started (sessionStorage, like the token).
const PENDING_KEY = "sonagram.signin";

export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes as base64url: 43 characters, inside RFC 7636's 43..128. */
export function newVerifier(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return base64url(random(new Uint8Array(32)));
}

/** The S256 challenge: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function authorizeUrl(auth: CognitoAuth, { state, challenge }: { state: string; challenge: string }): string {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: SCOPES,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `https://${auth.domain}/oauth2/authorize?${params.toString()}`;
}

/** The hosted UI's sign-out, which comes back to the page. */
export function logoutUrl(auth: CognitoAuth): string {
  const params = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.redirectUri });
  return `https://${auth.domain}/logout?${params.toString()}`;
}

/** The page's URL without what the hosted UI added, so a reload does not replay the code. */
export function withoutAnswer(url: URL): string {
  const clean = new URL(url);
  for (const name of ["code", "state", "error", "error_description"]) clean.searchParams.delete(name);
  return clean.toString();
}

export interface CognitoDeps {
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  navigate: (url: string) => void;
  fetch: typeof fetch;
  random?: (bytes: Uint8Array) => Uint8Array;
}

/** Send the browser to the hosted UI, remembering the verifier and state in this tab. */
export async function startSignIn(auth: CognitoAuth, deps: CognitoDeps): Promise<void> {
  const verifier = newVerifier(deps.random);
  const state = newVerifier(deps.random);
  deps.storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  deps.navigate(authorizeUrl(auth, { state, challenge: await challengeOf(verifier) }));
}

/**
 * The ID token for the hosted UI's answer in `url`, or null when the URL holds none.
 * Refuses an answer to a sign-in this tab did not start (state mismatch).
 */
export async function completeSignIn(auth: CognitoAuth, url: URL, deps: CognitoDeps): Promise<string | null> {
  const refused = url.searchParams.get("error");
  const code = url.searchParams.get("code");
  if (refused === null && code === null) return null;
  const pending = deps.storage.getItem(PENDING_KEY);
  // One answer per sign-in: a replayed URL finds nothing to match.
  deps.storage.removeItem(PENDING_KEY);
  if (refused !== null) {
    throw new Error(`Cognito did not sign you in: ${url.searchParams.get("error_description") ?? refused}.`);
  }
  const started = pending === null ? null : (JSON.parse(pending) as { verifier: string; state: string });
  if (started === null || started.state !== url.searchParams.get("state")) {
    throw new Error("This sign-in answer is not for the sign-in this tab started: sign in again.");
  }
  const answer = await deps.fetch(`https://${auth.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: auth.clientId,
      code: code ?? "",
      redirect_uri: auth.redirectUri,
      code_verifier: started.verifier,
    }).toString(),
  });
  const body = (await answer.json().catch(() => ({}))) as { id_token?: string; error?: string };
  if (!answer.ok || !body.id_token) {
    throw new Error(`Cognito refused the sign-in code (${body.error ?? answer.status}): sign in again.`);
  }
  return body.id_token;
}
