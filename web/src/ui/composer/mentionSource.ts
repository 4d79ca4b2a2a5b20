// Who can be @mentioned: a channel's member ids (fetched once a minute at
// most) and server-side user search, both feeding the store's user table.
import { api } from "../../api/client";
import type { Id, User } from "../../api/types";
import { ensureUsers } from "../../state/actions";
import { store } from "../../state/store";

const MEMBERS_TTL_MS = 60_000;
/** Unknown members beyond this many are found through search instead of one fetch each. */
const MAX_MEMBER_FETCH = 20;

const members = new Map<Id, { at: number; ids: Promise<ReadonlySet<Id>> }>();

export function channelMemberIds(channelId: Id): Promise<ReadonlySet<Id>> {
  const hit = members.get(channelId);
  if (hit && Date.now() - hit.at < MEMBERS_TTL_MS) return hit.ids;
  const ids = api.channelMembers(channelId).then(
    (ms) => {
      const set = new Set(ms.map((m) => m.user_id));
      void ensureUsers([...set].slice(0, MAX_MEMBER_FETCH));
      return set as ReadonlySet<Id>;
    },
    () => {
      members.delete(channelId);
      return new Set<Id>() as ReadonlySet<Id>;
    },
  );
  members.set(channelId, { at: Date.now(), ids });
  return ids;
}

const searches = new Map<string, Promise<User[]>>();

/** Users matching a query on the server (results are kept in the store too). */
export function searchUsers(query: string): Promise<User[]> {
  const q = query.toLowerCase();
  let p = searches.get(q);
  if (!p) {
    p = api.users(q || undefined, 0, 50).then(
      (us) => {
        store.dispatch({ type: "users_loaded", users: us });
        return us;
      },
      () => {
        searches.delete(q);
        return [];
      },
    );
    searches.set(q, p);
    // Newcomers sign up all the time: forget answers after a while.
    setTimeout(() => searches.delete(q), MEMBERS_TTL_MS);
  }
  return p;
}
