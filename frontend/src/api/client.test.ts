import { describe, expect, it } from "vitest";
import { ApiClient, ApiError, ConflictError } from "./client";

type Answer = Response | Error;

/** A fetch that gives the listed answers in turn and records each request. */
function fakeFetch(answers: Answer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (next === undefined) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers });
}

function client(answers: Answer[], token: string | null = "t0k") {
  const fake = fakeFetch(answers);
  const waits: number[] = [];
  const api = new ApiClient({
    baseUrl: "http://api",
    token: () => token,
    fetch: fake.fetch,
    wait: async (ms) => {
      waits.push(ms);
    },
  });
  return { api, calls: fake.calls, waits };
}

describe("ApiClient", () => {
  it("sends the bearer token and parses JSON", async () => {
    const page = { recordings: [], next: null, server_time: "2026-12-03T18:00:00.000000Z" };
    const { api, calls } = client([json(200, page)]);
    await expect(api.listRecordings()).resolves.toEqual(page);
    expect(calls[0].url).toBe("http://api/recordings");
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe("Bearer t0k");
  });

  it("retries a GET on network errors and 503 with growing waits", async () => {
    const { api, calls, waits } = client([
      new TypeError("Failed to fetch"),
      json(503, { error: "busy" }),
      new TypeError("Failed to fetch"),
      json(200, { recordings: [], next: null }),
    ]);
    await api.listRecordings();
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([250, 500, 1000]);
  });

  it("waits as long as a 503's Retry-After says", async () => {
    const { api, waits } = client([json(503, { error: "busy" }, { "Retry-After": "2" }), new Response(null, { status: 204 })]);
    await api.deleteRecording("r1");
    expect(waits).toEqual([2000]);
  });

  it("gives up after its retries with the last answer's sentence", async () => {
    const busy = () => json(503, { error: "The API is busy." });
    const { api, calls } = client([busy(), busy(), busy(), busy(), busy()]);
    await expect(api.listRecordings()).rejects.toMatchObject({ status: 503, message: "The API is busy." });
    expect(calls).toHaveLength(5);
  });

  it("never retries a POST: it could create twice", async () => {
    const { api, calls } = client([new TypeError("Failed to fetch"), json(201, {})]);
    await expect(api.login("ana")).rejects.toMatchObject({ status: 0 });
    expect(calls).toHaveLength(1);
  });

  it("turns a 409 into a ConflictError carrying the server's sentence, without retrying", async () => {
    const { api, calls } = client([json(409, { error: "Annotations of r1 are at version 3, not 2." })]);
    const failure = await api
      .request<never>("PUT", "/recordings/r1/annotations", { version: 2 })
      .catch((e: unknown) => e as ConflictError);
    expect(failure).toBeInstanceOf(ConflictError);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.status).toBe(409);
    expect(failure.message).toBe("Annotations of r1 are at version 3, not 2.");
    expect(calls).toHaveLength(1);
  });

  it("names the request and status when the error is not JSON", async () => {
    const { api } = client([new Response("<html>bad gateway</html>", { status: 502 })]);
    await expect(api.listRecordings()).rejects.toMatchObject({
      status: 502,
      message: "GET /recordings answered 502",
    });
  });
});

describe("ApiClient's review routes", () => {
  const csv = (name: string) =>
    new Response("label,threshold\n", { status: 200, headers: { "Content-Disposition": `attachment; filename="${name}"` } });

  it("asks for precision with the panel's filter, and for the same table as CSV", async () => {
    const table = { target: 0.8, method: "…", labels: [] };
    const { api, calls } = client([json(200, table), csv("precision-Dawn chorus.csv")]);
    await expect(api.getPrecision("p 1", { target: 0.8, source: "detector", label: "Wren" })).resolves.toEqual(table);
    const file = await api.precisionCsv("p 1", { target: 0.8, source: "detector" });
    expect(calls.map((c) => c.url)).toEqual([
      "http://api/projects/p%201/precision?target=0.8&source=detector&label=Wren",
      "http://api/projects/p%201/precision?target=0.8&source=detector&format=csv",
    ]);
    expect(file.filename).toBe("precision-Dawn chorus.csv");
    expect(await file.data.text()).toBe("label,threshold\n");
  });

  it("leaves the target to the server when the panel has none yet", async () => {
    const { api, calls } = client([json(200, { target: 0.9, method: "", labels: [] })]);
    await api.getPrecision("p1");
    expect(calls[0].url).toBe("http://api/projects/p1/precision");
  });

  it("posts a bulk accept and its undo by the action's id", async () => {
    const { api, calls } = client([
      json(200, { action: "2026-12-07T15:00:00.000001Z", accepted: 12, recordings: 3 }),
      json(200, { undone: 12 }),
    ]);
    const done = await api.acceptAbove("p1", { label: "Wren", min_confidence: 0.7 });
    await api.undoAccept("p1", done.action);
    expect(calls.map((c) => [c.init.method, c.url, c.init.body])).toEqual([
      ["POST", "http://api/projects/p1/reviews/accept", '{"label":"Wren","min_confidence":0.7}'],
      ["POST", "http://api/projects/p1/reviews/accept/undo", '{"action":"2026-12-07T15:00:00.000001Z"}'],
    ]);
  });

  it("exports only accepted boxes of a recording or of a whole project", async () => {
    const { api, calls } = client([csv("song.selections.txt"), csv("Dawn.csv"), csv("Dawn.json")]);
    await api.exportAnnotations("r1", "raven", "accepted");
    await api.exportProjectAnnotations("p1", "csv", "accepted");
    const every = await api.exportProjectAnnotations("p1", "json");
    expect(calls.map((c) => c.url)).toEqual([
      "http://api/recordings/r1/annotations/export?format=raven&review=accepted",
      "http://api/projects/p1/annotations/export?format=csv&review=accepted",
      "http://api/projects/p1/annotations/export?format=json",
    ]);
    expect(every.filename).toBe("Dawn.json");
  });

  it("names a refused download in the server's words", async () => {
    const { api } = client([json(404, { error: "No project 'p9'." })]);
    await expect(api.exportProjectAnnotations("p9", "raven")).rejects.toMatchObject({ status: 404, message: "No project 'p9'." });
  });
});
