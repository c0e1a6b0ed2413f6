import { describe, expect, it } from "vitest";
import { usernameOf } from "./session";

const jwt = (claims: object) =>
  ["e30", btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(claims)))).replace(/=+$/, ""), "sig"].join(".");

describe("usernameOf", () => {
  it("reads the local stage's sub and Cognito's username", () => {
    expect(usernameOf(jwt({ sub: "ana", exp: 1 }))).toBe("ana");
    expect(usernameOf(jwt({ sub: "1f2e-uuid", "cognito:username": "bruno" }))).toBe("bruno");
    expect(usernameOf(jwt({ sub: "Zoë" }))).toBe("Zoë");
  });

  it("is null for no token or one that is no JWT", () => {
    expect(usernameOf(null)).toBeNull();
    expect(usernameOf("opaque")).toBeNull();
    expect(usernameOf("a.!!!.c")).toBeNull();
  });
});
