import { backoffDelay, sleep } from "./backoff";
import type { Created, RecordingPage } from "./types";

/** An answer the API refused: its status and the server's own sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** 409: someone else changed the thing first (annotations' stale version). */
export class ConflictError extends ApiError {
  constructor(message: string) {
    super(409, message);
    this.name = "ConflictError";
  }
}

// Safe to send again: a retry cannot do the thing twice.
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 4000;

export interface ClientOptions {
  baseUrl: string;
  token: () => string | null;
  /** Called on 401: the token expired or was never valid. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  wait?: (ms: number) => Promise<void>;
  retries?: number;
}

export class ApiClient {
  private readonly fetch: typeof fetch;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly retries: number;

  constructor(private readonly options: ClientOptions) {
    // Bound: a detached window.fetch throws "Illegal invocation".
    this.fetch = options.fetch ?? window.fetch.bind(window);
    this.wait = options.wait ?? sleep;
    this.retries = options.retries ?? 4;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    const token = this.options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const init: RequestInit = {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    const url = this.options.baseUrl + path;
    const attempts = IDEMPOTENT.has(method) ? this.retries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= attempts;
      let answer: Response;
      try {
        answer = await this.fetch(url, init);
      } catch (failure) {
        if (last) throw new ApiError(0, `${method} ${path} could not reach the API: ${String(failure)}`);
        await this.wait(backoffDelay(attempt, RETRY_FIRST_MS, RETRY_MAX_MS));
        continue;
      }
      if (answer.status === 503 && !last) {
        await this.wait(retryAfterMs(answer) ?? backoffDelay(attempt, RETRY_FIRST_MS, RETRY_MAX_MS));
        continue;
      }
      return this.read<T>(method, path, answer);
    }
  }

  private async read<T>(method: string, path: string, answer: Response): Promise<T> {
    const text = await answer.text();
    if (answer.ok) return (text ? JSON.parse(text) : undefined) as T;
    const sentence = serverSentence(text) ?? `${method} ${path} answered ${answer.status}`;
    if (answer.status === 401) this.options.onUnauthorized?.();
    if (answer.status === 409) throw new ConflictError(sentence);
    throw new ApiError(answer.status, sentence);
  }

  login(username: string): Promise<{ token: string; username: string }> {
    return this.request("POST", "/auth/login", { username });
  }

  listRecordings(): Promise<RecordingPage> {
    return this.request("GET", "/recordings");
  }

  createRecording(file: { name: string; size: number; type: string }): Promise<Created> {
    return this.request("POST", "/recordings", {
      filename: file.name,
      size: file.size,
      content_type: file.type,
    });
  }

  deleteRecording(id: string): Promise<void> {
    return this.request("DELETE", `/recordings/${encodeURIComponent(id)}`);
  }
}

function serverSentence(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "error" in parsed && typeof parsed.error === "string") {
      return parsed.error;
    }
  } catch {
    // Not JSON (a proxy's page): the status line says it instead.
  }
  return null;
}

function retryAfterMs(answer: Response): number | null {
  const seconds = Number(answer.headers.get("Retry-After"));
  return answer.headers.has("Retry-After") && Number.isFinite(seconds) ? seconds * 1000 : null;
}
