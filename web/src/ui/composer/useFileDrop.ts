// Dropping files anywhere on the pane that holds a composer (the channel area
// or the side pane) attaches them; the pane is highlighted while dragging.
import { useEffect, useRef, type RefObject } from "react";

const ACTIVE = "composer-drop-active";

function carriesFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes("Files");
}

export function useFileDrop(anchor: RefObject<HTMLElement | null>, onFiles: (files: File[]) => void, label: string): void {
  const handler = useRef(onFiles);
  handler.current = onFiles;
  useEffect(() => {
    const el = anchor.current?.closest<HTMLElement>("[data-drop-zone], main, aside") ?? anchor.current;
    if (!el) return;
    // dragenter/dragleave fire for every child crossed: count them.
    let depth = 0;
    const show = (on: boolean) => {
      el.classList.toggle(ACTIVE, on);
      if (on) el.dataset.dropLabel = label;
    };
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (depth++ === 0) show(true);
    };
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) show(false);
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      show(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) handler.current(files);
    };
    el.addEventListener("dragenter", enter);
    el.addEventListener("dragover", over);
    el.addEventListener("dragleave", leave);
    el.addEventListener("drop", drop);
    return () => {
      show(false);
      el.removeEventListener("dragenter", enter);
      el.removeEventListener("dragover", over);
      el.removeEventListener("dragleave", leave);
      el.removeEventListener("drop", drop);
    };
  }, [anchor, label]);
}
