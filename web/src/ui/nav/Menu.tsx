// A menu button (WAI-ARIA menu pattern): arrow keys move between items,
// Escape closes and returns focus to the button, a click outside closes.
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  /** Shown as a checkable item (menuitemcheckbox). */
  checked?: boolean;
}

export function MenuButton(props: {
  /** Accessible name of the button. */
  label: string;
  /** Visible content of the button. */
  children: ReactNode;
  items: (MenuItem | null | false)[];
  className?: string;
  title?: string;
}) {
  const [open, setOpen] = useState(false);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const btn = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const id = useId();
  const items = props.items.filter((i): i is MenuItem => !!i);

  const close = (refocus: boolean) => {
    setOpen(false);
    setPos(null);
    if (refocus) btn.current?.focus();
  };

  // Fixed position under the button, kept inside the viewport (the sidebar scrolls and would clip it).
  useLayoutEffect(() => {
    if (!open || !btn.current || !menu.current) return;
    const b = btn.current.getBoundingClientRect();
    const m = menu.current.getBoundingClientRect();
    const left = Math.max(4, Math.min(b.left, window.innerWidth - m.width - 4));
    const below = b.bottom + 4;
    const top = below + m.height > window.innerHeight - 4 ? Math.max(4, b.top - m.height - 4) : below;
    setPos({ top, left });
  }, [open]);

  // Once placed (and visible), the first item takes focus.
  const placed = pos !== null;
  useEffect(() => {
    if (open && placed) menu.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
  }, [open, placed]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !btn.current?.contains(t)) close(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    const els = [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    const at = els.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number) => els[(i + els.length) % els.length]?.focus();
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        focus(at + 1);
        break;
      case "ArrowUp":
        e.preventDefault();
        focus(at - 1);
        break;
      case "Home":
        e.preventDefault();
        focus(0);
        break;
      case "End":
        e.preventDefault();
        focus(els.length - 1);
        break;
      case "Escape":
        e.preventDefault();
        e.stopPropagation();
        close(true);
        break;
      case "Tab":
        close(false);
        break;
    }
  };

  return (
    <>
      <button
        ref={btn}
        type="button"
        className={props.className}
        aria-label={props.label}
        title={props.title}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {props.children}
      </button>
      {open && (
        <div
          ref={menu}
          id={id}
          role="menu"
          aria-label={props.label}
          className="menu"
          style={pos ? { top: pos.top, left: pos.left } : { visibility: "hidden" }}
          onKeyDown={onKeyDown}
        >
          {items.map((it) => (
            <button
              key={it.label}
              type="button"
              role={it.checked === undefined ? "menuitem" : "menuitemcheckbox"}
              aria-checked={it.checked}
              tabIndex={-1}
              className={"menu-item" + (it.danger ? " danger" : "")}
              onClick={() => {
                close(true);
                it.onSelect();
              }}
            >
              {it.label}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
