// A floating panel anchored to a button, rendered at the document root so the
// list's scrolling and stacking never clip it. Escape or a click outside
// closes it; focus returns to the anchor.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { createPortal } from "react-dom";

export function Popover(props: {
  anchor: HTMLElement;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  role?: string;
  label?: string;
}) {
  const { anchor, onClose } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const a = anchor.getBoundingClientRect();
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const below = a.bottom + 4 + h <= vh || a.top - 4 - h < 0;
    const top = below ? Math.min(a.bottom + 4, vh - h - 4) : a.top - 4 - h;
    const left = Math.min(Math.max(4, a.right - w), vw - w - 4);
    setPos({ left: Math.max(4, left), top: Math.max(4, top) });
  }, [anchor]);

  useEffect(() => {
    const down = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!ref.current?.contains(t) && !anchor.contains(t)) onClose();
    };
    document.addEventListener("mousedown", down);
    return () => {
      document.removeEventListener("mousedown", down);
      // eslint-disable-next-line react-hooks/exhaustive-deps -- the popover's node at closing time, on purpose: focus goes back to the anchor only when it was inside the popover then.
      if (document.activeElement === document.body || ref.current?.contains(document.activeElement)) anchor.focus();
    };
  }, [anchor, onClose]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onClose();
    }
  };

  return createPortal(
    <div
      ref={ref}
      className={"popover " + (props.className ?? "")}
      role={props.role}
      aria-label={props.label}
      style={pos ? { left: pos.left, top: pos.top } : { left: -9999, top: 0 }}
      onKeyDown={onKeyDown}
    >
      {props.children}
    </div>,
    document.body,
  );
}

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

/** A menu of actions (role="menu"): arrows, Home and End move, Enter picks, Escape or Tab closes. */
export function Menu(props: { anchor: HTMLElement; label: string; items: MenuItem[]; onClose: () => void }) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
  }, []);
  const move = (e: KeyboardEvent) => {
    const items = [...(list.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (e.key === "ArrowDown") next = (i + 1) % items.length;
    else if (e.key === "ArrowUp") next = (i - 1 + items.length) % items.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    else if (e.key === "Tab") {
      props.onClose();
      return;
    }
    if (next >= 0) {
      e.preventDefault();
      items[next]?.focus();
    }
  };
  return (
    <Popover anchor={props.anchor} onClose={props.onClose} className="menu-popover">
      <div ref={list} role="menu" aria-label={props.label} onKeyDown={move}>
        {props.items.map((it) => (
          <button
            key={it.label}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={"menu-item" + (it.danger ? " danger" : "")}
            onClick={() => {
              props.onClose();
              it.onSelect();
            }}
          >
            {it.label}
          </button>
        ))}
      </div>
    </Popover>
  );
}
