import type { ApiClient } from "../api/client";
import type { AuthConfig } from "../config";
import { type CognitoAuth, completeSignIn, logoutUrl, startSignIn } from "./cognito";

/**
 * How a person signs in: the seam between the page and a stage's identity provider.
 *
 * The local stage asks for a username (POST /auth/login). The cloud stage sends the browser
 * to Cognito's hosted UI and, when it comes back with `?code=`, trades the code (with its
 * PKCE verifier) for a token. `signOut` ends the provider's own session too, if it keeps one.
 */
export type SignInMethod =
  | { kind: "username"; signIn(username: string): Promise<string>; signOut?: () => void }
  | { kind: "redirect"; start(): Promise<void>; complete(url: URL): Promise<string | null>; signOut?: () => void };

export function usernameSignIn(api: ApiClient): SignInMethod {
  return { kind: "username", signIn: async (username) => (await api.login(username)).token };
}

export function cognitoSignIn(auth: CognitoAuth): SignInMethod {
  const deps = {
    storage: sessionStorage,
    navigate: (url: string) => window.location.assign(url),
    fetch: window.fetch.bind(window),
  };
  return {
    kind: "redirect",
    start: () => startSignIn(auth, deps),
    complete: (url) => completeSignIn(auth, url, deps),
    signOut: () => deps.navigate(logoutUrl(auth)),
  };
}

/** The method /config.json names. */
export function signInMethod(auth: AuthConfig, api: ApiClient): SignInMethod {
  return auth.kind === "cognito" ? cognitoSignIn(auth) : usernameSignIn(api);
}
