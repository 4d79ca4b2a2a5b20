// Which users' presence this tab shows (DM partners, an open user card):
// fetched once with POST /users/status/ids, then kept current by
// `status_changed` events for the set sent in `subscribe_presence`.
import { useEffect } from "react";
import { api } from "../../api/client";
import type { Id } from "../../api/types";
import { socket } from "../../state/actions";
import { store } from "../../state/store";

const MAX_WATCHED = 1000; // the server's limit per connection
const watchers = new Map<symbol, Id[]>();
let sent = "";
let timer: ReturnType<typeof setTimeout> | undefined;
let wired = false;

function watched(): Id[] {
  const all = new Set<Id>();
  const me = store.getState().me?.id;
  if (me) all.add(me);
  for (const ids of watchers.values()) ids.forEach((id) => all.add(id));
  return [...all].sort().slice(0, MAX_WATCHED);
}

function sync(force: boolean): void {
  const ids = watched();
  const key = ids.join(",");
  if (!force && key === sent) return;
  const before = new Set(sent ? sent.split(",") : []);
  const added = ids.filter((id) => !before.has(id));
  sent = key;
  if (added.length) {
    void api.statuses(added).then((statuses) => store.dispatch({ type: "presence_loaded", statuses }), () => undefined);
  }
  socket.send({ action: "subscribe_presence", user_ids: ids });
}

function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => sync(false), 50);
}

function wire(): void {
  if (wired) return;
  wired = true;
  // A new connection starts with an empty set: subscribe again.
  socket.on((m) => {
    if (m.kind === "ready" || m.kind === "resync") sync(true);
    if (m.kind === "status" && m.status === "closed") sent = "";
  });
}

/** Keeps these users' presence current while the calling component is mounted. */
export function usePresence(ids: Id[]): void {
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    wire();
    const me = Symbol("presence");
    watchers.set(me, key ? key.split(",") : []);
    schedule();
    return () => {
      watchers.delete(me);
      schedule();
    };
  }, [key]);
}
