// The autocomplete popup: a listbox the textarea drives through
// aria-activedescendant (focus stays in the textarea while choosing).
import { useEffect, useRef } from "react";
import { userName } from "../names";
import type { Suggestion, Trigger } from "./completion";

const TITLES: Record<Trigger, string> = { "@": "People", "~": "Channels", ":": "Emoji" };

export function optionId(listId: string, i: number): string {
  return `${listId}-opt-${i}`;
}

export function SuggestionList(props: {
  id: string;
  trigger: Trigger;
  items: Suggestion[];
  active: number;
  onPick: (i: number) => void;
  onHover: (i: number) => void;
}) {
  const { id, items, active } = props;
  const ref = useRef<HTMLUListElement>(null);
  useEffect(() => {
    ref.current?.querySelector(`#${CSS.escape(optionId(id, active))}`)?.scrollIntoView({ block: "nearest" });
  }, [id, active]);
  return (
    <div className="suggest">
      <p className="suggest-title" aria-hidden="true">
        {TITLES[props.trigger]}
      </p>
      <ul ref={ref} id={id} role="listbox" aria-label={`${TITLES[props.trigger]} suggestions`} className="suggest-list">
        {items.map((s, i) => (
          <li
            key={s.key}
            id={optionId(id, i)}
            role="option"
            aria-selected={i === active}
            className={"suggest-item" + (i === active ? " active" : "")}
            // Keep focus (and the caret) in the textarea.
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => i !== active && props.onHover(i)}
            onClick={() => props.onPick(i)}
          >
            <SuggestionBody s={s} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function SuggestionBody({ s }: { s: Suggestion }) {
  switch (s.kind) {
    case "user":
      return (
        <>
          <span className="suggest-main">{userName(s.user)}</span>
          <span className="suggest-sub">@{s.user.username}</span>
          {s.user.is_bot && <span className="suggest-tag">bot</span>}
          {!s.member && <span className="suggest-note">not in channel</span>}
        </>
      );
    case "special":
      return (
        <>
          <span className="suggest-main">@{s.name}</span>
          <span className="suggest-note">{s.description}</span>
        </>
      );
    case "channel":
      return (
        <>
          <span className="suggest-main">
            <span aria-hidden="true">{s.channel.kind === "private" ? "🔒 " : "# "}</span>
            {s.channel.display_name || s.channel.name}
          </span>
          <span className="suggest-sub">~{s.channel.name}</span>
        </>
      );
    case "emoji":
      return (
        <>
          <span className="suggest-emoji" aria-hidden="true">
            {s.char}
          </span>
          <span className="suggest-main">:{s.name}:</span>
        </>
      );
  }
}
