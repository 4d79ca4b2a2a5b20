// Which channels to load ahead of a click: the unread ones first, then the most
// recently active, so that switching to them shows messages at once instead of
// waiting for a fetch.
import { isDm } from "../api/types";
import type { Channel, Id } from "../api/types";
import type { State } from "./reducer";

/** At most `limit` channels of the current team (and direct messages) whose posts are not loaded. */
export function prefetchCandidates(s: State, limit: number): Id[] {
  const unread = (c: Channel) => (s.unreads[c.id]?.unread_count ?? 0) > 0;
  return Object.values(s.channels)
    .filter(
      (c) =>
        !c.archived_at &&
        c.id !== s.currentChannelId &&
        !s.posts[c.id]?.loaded &&
        c.total_msg_count > 0 &&
        (c.team_id === s.currentTeamId || isDm(c.kind)),
    )
    .sort((a, b) => Number(unread(b)) - Number(unread(a)) || b.last_post_at - a.last_post_at)
    .slice(0, limit)
    .map((c) => c.id);
}
