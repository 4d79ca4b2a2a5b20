// The emoji picker: a search box driving a listbox of emoji (arrows move, Enter
// picks), category tabs, and the frequently used ones first. The gemoji table
// loads in its own chunk when the picker first opens.
import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { emojiCategories, emojiEntry, frequentEmoji, searchEmoji, useEmojiTable, type EmojiEntry } from "../emoji";
import { Popover } from "./Popover";

const COLUMNS = 8;
const FREQUENT_TAB = "Frequently used";

export function EmojiPicker(props: { anchor: HTMLElement; onPick: (name: string) => void; onClose: () => void }) {
  const table = useEmojiTable();
  const [query, setQuery] = useState("");
  const [tab, setTab] = useState(FREQUENT_TAB);
  const [active, setActive] = useState(0);
  const id = useId();
  const categories = useMemo(() => (table ? emojiCategories() : []), [table]);

  const entries: EmojiEntry[] = useMemo(() => {
    if (!table) return [];
    const q = query.trim().replace(/^:|:$/g, "");
    if (q) return searchEmoji(q, 96);
    if (tab === FREQUENT_TAB) return frequentEmoji(32).map(emojiEntry).filter((e): e is EmojiEntry => !!e);
    return categories.find((c) => c.name === tab)?.entries ?? [];
  }, [table, query, tab, categories]);
  const current = Math.min(active, Math.max(0, entries.length - 1));

  const pick = (e: EmojiEntry | undefined) => {
    if (!e) return;
    props.onPick(e.name);
    props.onClose();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
    if (e.key in step) {
      e.preventDefault();
      setActive(Math.min(Math.max(0, current + step[e.key]), entries.length - 1));
      document.getElementById(`${id}-opt-${Math.min(Math.max(0, current + step[e.key]), entries.length - 1)}`)?.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter") {
      e.preventDefault();
      pick(entries[current]);
    }
  };

  return (
    <Popover anchor={props.anchor} onClose={props.onClose} className="emoji-picker" role="dialog" label="Emoji picker">
      <input
        className="emoji-search"
        type="search"
        placeholder="Search emoji"
        aria-label="Search emoji"
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={entries.length ? `${id}-opt-${current}` : undefined}
        aria-autocomplete="list"
      />
      {!query && table && (
        <div className="emoji-tabs" role="group" aria-label="Emoji categories">
          {[FREQUENT_TAB, ...categories.map((c) => c.name)].map((name) => (
            <button
              key={name}
              type="button"
              className="emoji-tab"
              aria-pressed={tab === name}
              title={name}
              aria-label={name}
              onClick={() => {
                setTab(name);
                setActive(0);
              }}
            >
              {name === FREQUENT_TAB ? "🕘" : (categories.find((c) => c.name === name)?.entries[0]?.char ?? "•")}
            </button>
          ))}
        </div>
      )}
      {!table ? (
        <p className="muted emoji-status" role="status">
          Loading emoji…
        </p>
      ) : entries.length === 0 ? (
        <p className="muted emoji-status" role="status">
          No emoji match “{query}”.
        </p>
      ) : (
        <div id={`${id}-list`} className="emoji-grid" role="listbox" aria-label={query ? "Matching emoji" : tab}>
          {entries.map((e, i) => (
            <span
              key={e.name}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === current}
              aria-label={`:${e.name}:`}
              title={`:${e.name}:`}
              className={"emoji-option" + (i === current ? " active" : "")}
              onMouseDown={(ev) => ev.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(e)}
            >
              {e.char}
            </span>
          ))}
        </div>
      )}
      <p className="emoji-preview muted" aria-hidden="true">
        {entries[current] ? `${entries[current].char} :${entries[current].name}:` : "\u00a0"}
      </p>
    </Popover>
  );
}
