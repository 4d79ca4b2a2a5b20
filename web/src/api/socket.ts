// WebSocket client for /api/v1/websocket: resume with ?epoch=&seq=, resync when
// the server no longer holds the missed events, exponential reconnect backoff.
import type { AnyEvent, ClientFrame, ServerFrame } from "./types";

/** Where the client is in the user's event stream. */
export interface Cursor {
  epoch: string | null;
  seq: number;
}

/** What to do with one incoming frame (the result of the pure `step`). */
export type Decision =
  /** Connected; `resumed` when the server will replay what we missed. */
  | { kind: "ready"; resumed: boolean }
  /** State may be stale: refetch everything, then continue from the cursor. */
  | { kind: "resync" }
  | { kind: "deliver"; event: AnyEvent }
  /** Already seen (a replay overlap); ignore. */
  | { kind: "duplicate" }
  /** A sequence number was skipped: reconnect and resume from the cursor. */
  | { kind: "gap"; expected: number; got: number }
  | { kind: "pong" };

/**
 * Pure transition over the cursor. `requested` is the cursor sent in the
 * connect URL (null for a fresh connection without history).
 */
export function step(
  cursor: Cursor,
  frame: ServerFrame,
  requested: Cursor | null,
): { cursor: Cursor; decision: Decision } {
  switch (frame.type) {
    case "hello": {
      if (requested && requested.epoch !== null) {
        if (requested.epoch === frame.epoch && frame.seq >= requested.seq) {
          // Same server run: the missed events (requested.seq+1 ..= frame.seq) follow.
          return { cursor: { epoch: frame.epoch, seq: requested.seq }, decision: { kind: "ready", resumed: true } };
        }
        // Another run (restart) or an impossible seq: our state cannot be trusted.
        return { cursor: { epoch: frame.epoch, seq: frame.seq }, decision: { kind: "resync" } };
      }
      return { cursor: { epoch: frame.epoch, seq: frame.seq }, decision: { kind: "ready", resumed: false } };
    }
    case "resync":
      return { cursor: { epoch: frame.epoch, seq: frame.seq }, decision: { kind: "resync" } };
    case "pong":
      return { cursor, decision: { kind: "pong" } };
    case "event": {
      const { type: _type, ...event } = frame;
      if (event.seq <= cursor.seq) return { cursor, decision: { kind: "duplicate" } };
      if (event.seq !== cursor.seq + 1) {
        return { cursor, decision: { kind: "gap", expected: cursor.seq + 1, got: event.seq } };
      }
      return { cursor: { ...cursor, seq: event.seq }, decision: { kind: "deliver", event: event as AnyEvent } };
    }
  }
}

/** Reconnect delay: 0.5 s doubling to 30 s, with ±20 % jitter. */
export function backoffDelay(attempt: number, rand: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + 0.4 * rand()));
}

/** The connect URL for a cursor (resume parameters only when we have an epoch). */
export function socketUrl(loc: { protocol: string; host: string }, cursor: Cursor | null): string {
  const proto = loc.protocol === "https:" ? "wss:" : "ws:";
  let url = `${proto}//${loc.host}/api/v1/websocket`;
  if (cursor && cursor.epoch !== null) {
    url += `?epoch=${encodeURIComponent(cursor.epoch)}&seq=${cursor.seq}`;
  }
  return url;
}

export type SocketStatus = "connecting" | "open" | "reconnecting" | "closed";

export type SocketMessage =
  | { kind: "status"; status: SocketStatus; attempt: number }
  | { kind: "ready"; resumed: boolean }
  | { kind: "resync" }
  | { kind: "event"; event: AnyEvent };

export type SocketListener = (msg: SocketMessage) => void;

const PING_EVERY_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

export class HearthSocket {
  private ws: WebSocket | null = null;
  private cursor: Cursor = { epoch: null, seq: 0 };
  private requested: Cursor | null = null;
  private listeners = new Set<SocketListener>();
  private attempt = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  status: SocketStatus = "closed";

  constructor(private readonly makeUrl: (c: Cursor | null) => string = (c) => socketUrl(location, c)) {}

  on(fn: SocketListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.clearPing();
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close(1000);
      this.ws = null;
    }
    this.cursor = { epoch: null, seq: 0 };
    this.setStatus("closed");
  }

  /** Sends a frame if connected; returns whether it was sent. */
  send(frame: ClientFrame): boolean {
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  /** Reconnect now (e.g. when the browser comes back online). */
  reconnectNow(): void {
    if (this.stopped || this.status === "open" || this.status === "connecting") return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  private emit(msg: SocketMessage): void {
    for (const l of this.listeners) l(msg);
  }

  private setStatus(status: SocketStatus): void {
    this.status = status;
    this.emit({ kind: "status", status, attempt: this.attempt });
  }

  private open(): void {
    this.requested = this.cursor.epoch !== null ? { ...this.cursor } : null;
    this.setStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.makeUrl(this.requested));
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onmessage = (ev) => this.onFrame(ev.data);
    ws.onclose = () => {
      this.ws = null;
      this.clearPing();
      this.scheduleRetry();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  private onFrame(raw: unknown): void {
    if (typeof raw !== "string") return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(raw) as ServerFrame;
    } catch {
      return;
    }
    const { cursor, decision } = step(this.cursor, frame, this.requested);
    this.cursor = cursor;
    switch (decision.kind) {
      case "ready":
        this.attempt = 0;
        this.setStatus("open");
        this.startPing();
        this.emit({ kind: "ready", resumed: decision.resumed });
        break;
      case "resync":
        this.attempt = 0;
        if (this.status !== "open") {
          this.setStatus("open");
          this.startPing();
        }
        this.emit({ kind: "resync" });
        break;
      case "deliver":
        this.emit({ kind: "event", event: decision.event });
        break;
      case "gap":
        // Resume from the last event we did see; the server replays the rest.
        this.ws?.close(4000, "sequence gap");
        break;
      case "pong":
        clearTimeout(this.pongTimer);
        break;
      case "duplicate":
        break;
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.setStatus("reconnecting");
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private startPing(): void {
    this.clearPing();
    this.pingTimer = setInterval(() => {
      if (!this.send({ action: "ping" })) return;
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => this.ws?.close(4001, "pong timeout"), PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }

  private clearPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }
}
