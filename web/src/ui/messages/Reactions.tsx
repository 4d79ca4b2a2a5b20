// Reactions under a post: one chip per emoji with its count; mine highlighted;
// a click toggles mine; the label says who reacted.
import { useRef, useState } from "react";
import type { Id, Post, User } from "../../api/types";
import { toggleReaction } from "../../state/postActions";
import { groupReactions, reactionLabel } from "../../state/posts";
import { emojiChar, useEmojiTable } from "../emoji";
import { userName } from "../names";
import { EmojiPicker } from "./EmojiPicker";

export function Reactions({ post, me, users, canReact }: { post: Post; me: Id | undefined; users: Record<Id, User>; canReact: boolean }) {
  // Only posts with reactions need the full table (for names beyond the built-in few).
  useEmojiTable(post.reactions.length > 0);
  const [picker, setPicker] = useState(false);
  const add = useRef<HTMLButtonElement>(null);
  const groups = groupReactions(post.reactions, me);
  if (groups.length === 0) return null;
  return (
    <ul className="reactions" role="list" aria-label="Reactions">
      {groups.map((g) => {
        const label = reactionLabel(g, (id) => userName(users[id]), me);
        const char = emojiChar(g.emoji);
        return (
          <li key={g.emoji}>
            <button
              type="button"
              className={"reaction" + (g.mine ? " mine" : "")}
              aria-pressed={g.mine}
              aria-label={label}
              title={label}
              disabled={!canReact}
              onClick={() => void toggleReaction(post, g.emoji).catch(() => undefined)}
            >
              <span className="reaction-emoji" aria-hidden="true">
                {char ?? `:${g.emoji}:`}
              </span>
              <span className="reaction-count" aria-hidden="true">
                {g.count}
              </span>
            </button>
          </li>
        );
      })}
      {canReact && (
        <li>
          <button ref={add} type="button" className="reaction add-reaction" aria-label="Add another reaction" title="Add reaction" onClick={() => setPicker(true)}>
            <span aria-hidden="true">☺+</span>
          </button>
          {picker && add.current && (
            <EmojiPicker
              anchor={add.current}
              onClose={() => setPicker(false)}
              onPick={(name) => {
                const mine = post.reactions.some((r) => r.user_id === me && r.emoji_name === name);
                if (!mine) void toggleReaction(post, name).catch(() => undefined);
              }}
            />
          )}
        </li>
      )}
    </ul>
  );
}
