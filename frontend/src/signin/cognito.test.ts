import { describe, expect, it } from "vitest";
import {
  type CognitoAuth,
  authorizeUrl,
  challengeOf,
  completeSignIn,
  logoutUrl,
  newVerifier,
  startSignIn,
  withoutAnswer,
} from "./cognito";

const AUTH: CognitoAuth = {
  kind: "cognito",
  domain: "sonagram-1.auth.eu-west-1.amazoncognito.com",
  clientId: "client123",
  redirectUri: "https://ui.example/",
};

// RFC 7636 appendix B: these 32 octets, their verifier and its S256 challenge.
const RFC_OCTETS = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91,
  88, 5, 88, 83, 132, 141, 121,
];
const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const rfcRandom = (bytes: Uint8Array) => {
  bytes.set(RFC_OCTETS);
  return bytes;
};

/** A tab: its sessionStorage, where it was sent, and the token endpoint's requests. */
function tab(answer: Response = Response.json({ id_token: "id.token.jwt", access_token: "a" })) {
  const stored = new Map<string, string>();
  const sentTo: string[] = [];
  const requests: { url: string; init: RequestInit }[] = [];
  const deps = {
    storage: {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    },
    navigate: (url: string) => void sentTo.push(url),
    fetch: (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return answer;
    }) as typeof fetch,
    random: rfcRandom,
  };
  return { deps, sentTo, requests };
}

describe("PKCE", () => {
  it("makes RFC 7636's verifier from its octets and its S256 challenge", async () => {
    expect(newVerifier(rfcRandom)).toBe(RFC_VERIFIER);
    expect(await challengeOf(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it("makes a new 43-character verifier each time by default", () => {
    const [a, b] = [newVerifier(), newVerifier()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});

describe("the hosted UI's URLs", () => {
  it("asks for a code with the S256 challenge, the state and the client's callback", () => {
    const url = new URL(authorizeUrl(AUTH, { state: "s1", challenge: RFC_CHALLENGE }));
    expect(url.origin + url.pathname).toBe("https://sonagram-1.auth.eu-west-1.amazoncognito.com/oauth2/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client123",
      redirect_uri: "https://ui.example/",
      scope: "openid email profile",
      state: "s1",
      code_challenge: RFC_CHALLENGE,
      code_challenge_method: "S256",
    });
  });

  it("signs out at /logout and comes back to the page", () => {
    expect(logoutUrl(AUTH)).toBe(
      "https://sonagram-1.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fui.example%2F",
    );
  });

  it("takes the answer out of the page's URL and keeps the rest", () => {
    expect(withoutAnswer(new URL("https://ui.example/?code=c&state=s&recording=r1"))).toBe(
      "https://ui.example/?recording=r1",
    );
  });
});

describe("signing in through the hosted UI", () => {
  it("sends the browser with the challenge of a verifier it keeps, then trades the code for the ID token", async () => {
    const { deps, sentTo, requests } = tab();
    await startSignIn(AUTH, deps);
    const sent = new URL(sentTo[0]);
    expect(sent.searchParams.get("code_challenge")).toBe(RFC_CHALLENGE);
    const state = sent.searchParams.get("state");

    const token = await completeSignIn(AUTH, new URL(`https://ui.example/?code=abc&state=${state}`), deps);
    expect(token).toBe("id.token.jwt");
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe("https://sonagram-1.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(requests[0].init.method).toBe("POST");
    expect((requests[0].init.headers as Record<string, string>)["Content-Type"]).toBe(
      "application/x-www-form-urlencoded",
    );
    expect(Object.fromEntries(new URLSearchParams(requests[0].init.body as string))).toEqual({
      grant_type: "authorization_code",
      client_id: "client123",
      code: "abc",
      redirect_uri: "https://ui.example/",
      code_verifier: RFC_VERIFIER,
    });
  });

  it("refuses an answer whose state is not the one this tab sent, without asking Cognito", async () => {
    const { deps, requests } = tab();
    await startSignIn(AUTH, deps);
    await expect(completeSignIn(AUTH, new URL("https://ui.example/?code=abc&state=forged"), deps)).rejects.toThrow(
      "not for the sign-in this tab started",
    );
    expect(requests).toEqual([]);
  });

  it("refuses an answer when this tab started no sign-in, and a replayed one", async () => {
    const { deps, sentTo } = tab();
    await expect(completeSignIn(AUTH, new URL("https://ui.example/?code=abc&state=s"), deps)).rejects.toThrow(
      "not for the sign-in",
    );
    await startSignIn(AUTH, deps);
    const answer = new URL(`https://ui.example/?code=abc&state=${new URL(sentTo[0]).searchParams.get("state")}`);
    await completeSignIn(AUTH, answer, deps);
    await expect(completeSignIn(AUTH, answer, deps)).rejects.toThrow("not for the sign-in");
  });

  it("has nothing to do on a page the hosted UI did not send back", async () => {
    const { deps, requests } = tab();
    expect(await completeSignIn(AUTH, new URL("https://ui.example/?recording=r1"), deps)).toBeNull();
    expect(requests).toEqual([]);
  });

  it("says what Cognito refused", async () => {
    const refused = tab(Response.json({ error: "invalid_grant" }, { status: 400 }));
    await startSignIn(AUTH, refused.deps);
    const state = new URL(refused.sentTo[0]).searchParams.get("state");
    await expect(
      completeSignIn(AUTH, new URL(`https://ui.example/?code=old&state=${state}`), refused.deps),
    ).rejects.toThrow("Cognito refused the sign-in code (invalid_grant)");
    await expect(
      completeSignIn(AUTH, new URL("https://ui.example/?error=access_denied&error_description=User+cancelled"), tab().deps),
    ).rejects.toThrow("Cognito did not sign you in: User cancelled.");
  });
});
