// Display names for the ids compliance records carry, fetched as needed.
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { Channel, Id, Team } from "../../api/types";
import { adminApi } from "../api";
import { useLoad } from "../common";

/** Every team (system admins), else the teams the user is in. */
export function useTeams() {
  return useLoad<Team[]>(() => adminApi.teams().catch(() => api.teams()), "teams");
}

/** Names of channels, fetched once each; the id until known. */
export function useChannelNames(ids: Id[]): Record<Id, string> {
  const [names, setNames] = useState<Record<Id, string>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    const missing = key ? key.split(",").filter((id) => !(id in names)) : [];
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(
      missing.map((id) => api.channel(id).then((c) => [id, channelLabel(c)] as const, () => [id, hiddenChannel(id)] as const)),
    ).then(
      (found) => live && setNames((prev) => ({ ...prev, ...Object.fromEntries(found) })),
    );
    return () => {
      live = false;
    };
  }, [key, names]);
  return names;
}

/** Usernames of users, fetched once each. */
export function useUserNames(ids: Id[]): Record<Id, string> {
  const [names, setNames] = useState<Record<Id, string>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    const missing = key ? key.split(",").filter((id) => !(id in names)) : [];
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map((id) => adminApi.user(id).then((u) => [id, "@" + u.username] as const, () => [id, id] as const))).then(
      (found) => live && setNames((prev) => ({ ...prev, ...Object.fromEntries(found) })),
    );
    return () => {
      live = false;
    };
  }, [key, names]);
  return names;
}

/** A channel the reader may not open (an officer outside a private channel): its id, shortened. */
const hiddenChannel = (id: Id) => `channel ${id.slice(-8)} (not open to you)`;

export const channelLabel = (c: Channel) => (c.kind === "direct" || c.kind === "group" ? "Direct message" : "~" + c.name);
