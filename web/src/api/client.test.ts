import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, errorFromBody, request } from "./client";

afterEach(() => vi.unstubAllGlobals());

describe("errorFromBody", () => {
  it("maps the error body to a typed ApiError", () => {
    const e = errorFromBody(404, { error: { code: "not_found", message: "No such channel." } });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([404, "not_found", "No such channel."]);
    expect(e.isAuthFailure).toBe(false);
    expect(errorFromBody(401, { error: { code: "session_expired", message: "x" } }).isAuthFailure).toBe(true);
  });
  it("copes with bodies that are not ours", () => {
    expect(errorFromBody(502, "<html>").code).toBe("bad_response");
    expect(errorFromBody(502, null).status).toBe(502);
  });
});

describe("request", () => {
  it("sends JSON with the CSRF token on writes and parses errors", async () => {
    const store = new Map<string, string>([["hearth.csrf", "tok"]]);
    vi.stubGlobal("localStorage", { getItem: (k: string) => store.get(k) ?? null, setItem: () => {}, removeItem: () => {} });
    const fetchMock = vi.fn(async () =>
      new Response(JSON.stringify({ error: { code: "rate_limited", message: "Slow down." } }), {
        status: 429,
        headers: { "Retry-After": "3" },
      }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const err = await request("POST", "/posts", { a: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: "rate_limited", message: "Slow down.", retryAfter: 3 });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/posts");
    expect((init.headers as Record<string, string>)["X-CSRF-Token"]).toBe("tok");
    expect(init.body).toBe('{"a":1}');
  });

  it("builds query strings and skips empty values; no CSRF on GET", async () => {
    vi.stubGlobal("localStorage", { getItem: () => "tok", setItem: () => {}, removeItem: () => {} });
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ posts: [] }), { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    await request("GET", "/channels/x/posts", undefined, { before: "p1", after: undefined, limit: 60 });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/channels/x/posts?before=p1&limit=60");
    expect((init.headers as Record<string, string>)["X-CSRF-Token"]).toBeUndefined();
  });

  it("maps network failures", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("failed"))));
    await expect(request("GET", "/users/me")).rejects.toMatchObject({ code: "network_error", status: 0 });
  });
});
