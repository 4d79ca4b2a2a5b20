// A post's text as sanitized markdown. Mentions open the user card and
// channel links open the channel, through one delegated click handler;
// links to channels I am not in are marked as such.
import { memo, useLayoutEffect, useMemo, useRef, type MouseEvent } from "react";
import type { Channel, Id } from "../../api/types";
import { openChannel } from "../../state/actions";
import { store } from "../../state/store";
import { renderMarkdown, useMarkdownVersion, type RenderContext } from "../markdown";
import { cardPoint } from "./Avatar";
import { userByUsername } from "./userLookup";

/** The channel a `~name` link points to: among mine, in the given team first. */
export function findChannelByName(channels: Record<Id, Channel>, name: string, teamId: Id | null): Channel | undefined {
  const all = Object.values(channels).filter((c) => c.name.toLowerCase() === name);
  return all.find((c) => c.team_id === teamId) ?? all[0];
}

export const PostBody = memo(function PostBody({ text, me, team, teamId }: { text: string; me?: string; team?: string; teamId: Id | null }) {
  const version = useMarkdownVersion();
  const ctx: RenderContext = useMemo(() => ({ me, team }), [me, team]);
  // `version` is not read, but it changes when the lazily loaded renderer parts
  // (syntax highlighting, emoji) arrive, and the HTML must be rendered again then.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  const html = useMemo(() => renderMarkdown(text, ctx), [text, ctx, version]);
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const links = ref.current?.querySelectorAll<HTMLAnchorElement>("a[data-channel]");
    if (!links?.length) return;
    const channels = store.getState().channels;
    for (const a of links) {
      const known = !!findChannelByName(channels, a.dataset.channel ?? "", teamId);
      a.classList.toggle("unknown", !known);
      if (!known) a.title = "You are not a member of this channel";
    }
  }, [html, teamId]);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const t = e.target as HTMLElement;
    const mention = t.closest<HTMLElement>("[data-mention]");
    if (mention) {
      e.preventDefault();
      const at = cardPoint({ detail: e.detail, clientX: e.clientX, clientY: e.clientY, currentTarget: mention });
      void userByUsername(mention.dataset.mention ?? "").then((u) => {
        if (u) store.dispatch({ type: "show_profile", card: { userId: u.id, ...at } });
      });
      return;
    }
    const link = t.closest<HTMLElement>("a[data-channel]");
    if (link && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      e.preventDefault();
      const ch = findChannelByName(store.getState().channels, link.dataset.channel ?? "", teamId);
      if (ch) void openChannel(ch.id);
    }
  };

  // Clicks are delegated from the links and buttons inside, which carry their own keyboard access.
  return <div ref={ref} className="body" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
});
