import { useSyncExternalStore } from "react";
import type { Channel, Id, User } from "../api/types";
import { dmStore } from "../state/actions";

export function userName(u: User | undefined, fallback = "Someone"): string {
  if (!u) return fallback;
  return u.display_name || u.username;
}

export function useDmMembers(): Record<Id, Id[]> {
  return useSyncExternalStore(dmStore.subscribe, dmStore.get);
}

/** The name shown for a channel: partners' names for direct and group messages. */
export function channelTitle(c: Channel, users: Record<Id, User>, dm: Record<Id, Id[]>, me: Id | undefined): string {
  if (c.kind !== "direct" && c.kind !== "group") return c.display_name || c.name;
  const others = (dm[c.id] ?? []).filter((u) => u !== me);
  if (others.length === 0) return (dm[c.id] ? "You" : c.display_name) || "Direct message";
  return others.map((id) => userName(users[id], "…")).join(", ");
}

/** The typing line under a conversation: "Alice is typing…", "Alice, Bob are typing…". */
export function typingText(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length <= 3) return `${names.join(", ")} are typing…`;
  return "Several people are typing…";
}
