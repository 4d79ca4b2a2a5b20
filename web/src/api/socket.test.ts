import { describe, expect, it } from "vitest";
import { backoffDelay, socketUrl, step, type Cursor } from "./socket";
import type { ServerFrame } from "./types";

const ev = (seq: number): ServerFrame => ({
  type: "event",
  seq,
  event: "typing",
  channel_id: "c1",
  data: { channel_id: "c1", root_id: null, user_id: "u1" },
});

describe("socket step", () => {
  it("fresh connection takes the hello's seq", () => {
    const r = step({ epoch: null, seq: 0 }, { type: "hello", epoch: "E1", seq: 42 }, null);
    expect(r.cursor).toEqual({ epoch: "E1", seq: 42 });
    expect(r.decision).toEqual({ kind: "ready", resumed: false });
  });

  it("resume in the same epoch keeps our seq so replays are delivered", () => {
    const req: Cursor = { epoch: "E1", seq: 10 };
    let { cursor, decision } = step(req, { type: "hello", epoch: "E1", seq: 12 }, req);
    expect(decision).toEqual({ kind: "ready", resumed: true });
    expect(cursor.seq).toBe(10);
    ({ cursor, decision } = step(cursor, ev(11), req));
    expect(decision.kind).toBe("deliver");
    ({ cursor, decision } = step(cursor, ev(12), req));
    expect(decision.kind).toBe("deliver");
    expect(cursor).toEqual({ epoch: "E1", seq: 12 });
  });

  it("a different epoch on hello means resync", () => {
    const req: Cursor = { epoch: "E1", seq: 10 };
    const r = step(req, { type: "hello", epoch: "E2", seq: 3 }, req);
    expect(r.decision).toEqual({ kind: "resync" });
    expect(r.cursor).toEqual({ epoch: "E2", seq: 3 });
  });

  it("hello seq below ours in the same epoch means resync", () => {
    const req: Cursor = { epoch: "E1", seq: 10 };
    expect(step(req, { type: "hello", epoch: "E1", seq: 5 }, req).decision.kind).toBe("resync");
  });

  it("a resync frame moves the cursor and asks for a refetch", () => {
    const r = step({ epoch: "E1", seq: 3 }, { type: "resync", epoch: "E1", seq: 99 }, { epoch: "E1", seq: 3 });
    expect(r.decision).toEqual({ kind: "resync" });
    expect(r.cursor).toEqual({ epoch: "E1", seq: 99 });
  });

  it("drops duplicates and detects gaps", () => {
    const c: Cursor = { epoch: "E", seq: 5 };
    expect(step(c, ev(5), null).decision.kind).toBe("duplicate");
    expect(step(c, ev(3), null).decision.kind).toBe("duplicate");
    const g = step(c, ev(8), null);
    expect(g.decision).toEqual({ kind: "gap", expected: 6, got: 8 });
    expect(g.cursor).toBe(c);
  });

  it("delivers the event without the frame tag", () => {
    const r = step({ epoch: "E", seq: 0 }, ev(1), null);
    expect(r.decision.kind === "deliver" && r.decision.event).toEqual({
      seq: 1,
      event: "typing",
      channel_id: "c1",
      data: { channel_id: "c1", root_id: null, user_id: "u1" },
    });
  });

  it("pong leaves the cursor alone", () => {
    const c: Cursor = { epoch: "E", seq: 2 };
    expect(step(c, { type: "pong" }, null)).toEqual({ cursor: c, decision: { kind: "pong" } });
  });
});

describe("backoff and url", () => {
  it("doubles up to 30 s", () => {
    const mid = () => 0.5;
    expect(backoffDelay(0, mid)).toBe(500);
    expect(backoffDelay(1, mid)).toBe(1000);
    expect(backoffDelay(3, mid)).toBe(4000);
    expect(backoffDelay(10, mid)).toBe(30000);
    expect(backoffDelay(1000, mid)).toBe(30000);
    expect(backoffDelay(2, () => 0)).toBe(1600);
    expect(backoffDelay(2, () => 1)).toBe(2400);
  });

  it("builds resume urls", () => {
    const loc = { protocol: "https:", host: "chat.example:8443" };
    expect(socketUrl(loc, null)).toBe("wss://chat.example:8443/api/v1/websocket");
    expect(socketUrl({ protocol: "http:", host: "h" }, { epoch: "a b", seq: 7 })).toBe(
      "ws://h/api/v1/websocket?epoch=a%20b&seq=7",
    );
    expect(socketUrl(loc, { epoch: null, seq: 0 })).toBe("wss://chat.example:8443/api/v1/websocket");
  });
});
