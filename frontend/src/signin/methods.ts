import type { ApiClient } from "../api/client";

/**
 * How a person signs in: the seam between the page and a stage's identity provider.
 *
 * The local stage asks for a username (POST /auth/login). The cloud stage will send
 * the browser to Cognito's hosted UI and, when it comes back with `?code=`, trade the
 * code (with its PKCE verifier) for a token: a `redirect` method behind this same type.
 */
export type SignInMethod =
  | { kind: "username"; signIn(username: string): Promise<string> }
  | { kind: "redirect"; start(): Promise<void>; complete(url: URL): Promise<string | null> };

export function usernameSignIn(api: ApiClient): SignInMethod {
  return { kind: "username", signIn: async (username) => (await api.login(username)).token };
}
