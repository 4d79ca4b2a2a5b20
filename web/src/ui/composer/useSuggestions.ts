// The suggestions for the token at the caret, gathered from the store, the
// server (channel members, user search) and the emoji table.
import { useEffect, useMemo, useState } from "react";
import { isDm, type Channel, type Id } from "../../api/types";
import { useAppState } from "../../state/store";
import { loadEmoji, searchEmoji } from "../emoji";
import { useDmMembers } from "../names";
import { channelSuggestions, emojiSuggestions, mentionSuggestions, type Suggestion, type Token } from "./completion";
import { channelMemberIds, searchUsers } from "./mentionSource";

const SEARCH_DELAY_MS = 150;
const NO_IDS: ReadonlySet<Id> = new Set();

export function useSuggestions(token: Token | null, channel: Channel): Suggestion[] {
  const trigger = token?.trigger ?? null;
  const query = token?.query ?? "";
  const users = useAppState((s) => s.users);
  const meId = useAppState((s) => s.me?.id);
  const channels = useAppState((s) => s.channels);
  const currentTeamId = useAppState((s) => s.currentTeamId);
  const dmMembers = useDmMembers();
  const dm = isDm(channel.kind);

  // Member ids, fetched the first time "@" is typed in this channel.
  const [members, setMembers] = useState<{ channelId: Id; ids: ReadonlySet<Id> } | null>(null);
  const wantMembers = trigger === "@" && !dm && members?.channelId !== channel.id;
  useEffect(() => {
    if (!wantMembers) return;
    let live = true;
    void channelMemberIds(channel.id).then((ids) => live && setMembers({ channelId: channel.id, ids }));
    return () => {
      live = false;
    };
  }, [wantMembers, channel.id]);

  // Everyone else who matches, from the server (results land in the store).
  useEffect(() => {
    if (trigger !== "@") return;
    const t = setTimeout(() => void searchUsers(query), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [trigger, query]);

  // The emoji table loads on the first ":" token.
  const [emojiReady, setEmojiReady] = useState(false);
  useEffect(() => {
    if (trigger !== ":" || emojiReady) return;
    let live = true;
    void loadEmoji().then(() => live && setEmojiReady(true));
    return () => {
      live = false;
    };
  }, [trigger, emojiReady]);

  return useMemo(() => {
    switch (trigger) {
      case "@": {
        const ids = dm
          ? new Set(dmMembers[channel.id] ?? [])
          : members?.channelId === channel.id
            ? members.ids
            : NO_IDS;
        return mentionSuggestions(Object.values(users), query, { memberIds: ids, meId, dm });
      }
      case "~":
        return channelSuggestions(Object.values(channels), query, { teamId: channel.team_id ?? currentTeamId });
      case ":":
        return emojiReady ? emojiSuggestions(searchEmoji(query, 20), query) : [];
      default:
        return [];
    }
  }, [trigger, query, users, meId, dm, dmMembers, members, channel.id, channel.team_id, channels, currentTeamId, emojiReady]);
}
