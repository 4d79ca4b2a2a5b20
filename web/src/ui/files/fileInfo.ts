// File metadata for attachments, fetched once per file and kept for the
// session (a file's info never changes).
import { useEffect, useSyncExternalStore } from "react";
import { api } from "../../api/client";
import type { FileInfo, Id } from "../../api/types";

/** id → info, or null when it could not be fetched (gone, or not allowed). */
const infos = new Map<Id, FileInfo | null>();
const inflight = new Set<Id>();
const listeners = new Set<() => void>();
let version = 0;

function notify(): void {
  version++;
  listeners.forEach((l) => l());
}

function fetchInfo(id: Id): void {
  if (infos.has(id) || inflight.has(id)) return;
  inflight.add(id);
  api.fileInfo(id).then(
    (info) => infos.set(id, info),
    () => infos.set(id, null),
  ).finally(() => {
    inflight.delete(id);
    notify();
  });
}

/** Seeds the cache with infos already at hand (e.g. an upload's answer). */
export function rememberFileInfos(list: readonly FileInfo[]): void {
  for (const f of list) infos.set(f.id, f);
  if (list.length) notify();
}

/** The infos for these ids: `undefined` while loading, `null` when unavailable. */
export function useFileInfos(ids: readonly Id[]): (FileInfo | null | undefined)[] {
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
  const key = ids.join(",");
  useEffect(() => {
    for (const id of key.split(",")) if (id) fetchInfo(id);
  }, [key]);
  return ids.map((id) => infos.get(id));
}

export const fileUrl = (id: Id) => `/api/v1/files/${id}`;
export const thumbnailUrl = (id: Id) => `/api/v1/files/${id}/thumbnail`;
export const previewUrl = (id: Id) => `/api/v1/files/${id}/preview`;

/** The address that shows an image: the server's preview, or the file itself (GIFs keep moving). */
export function imageSrc(f: FileInfo): string {
  if (f.mime_type === "image/gif" || !f.has_preview) return fileUrl(f.id);
  return previewUrl(f.id);
}
