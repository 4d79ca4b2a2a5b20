// File uploads of the composers. Each file goes up in its own XMLHttpRequest
// (fetch cannot report upload progress) so it gets a progress bar and can be
// cancelled alone. Uploads are kept per draft slot (channel or thread) outside
// the reducer: they hold live requests and File objects, not app data.
import { useSyncExternalStore } from "react";
import { api, ApiError, errorFromBody, getCsrfToken } from "../api/client";
import type { FileInfo, Id } from "../api/types";

/** The server takes at most this many files per post. */
export const MAX_FILES_PER_POST = 10;
const UPLOAD_URL = "/api/v1/files";

export type UploadStatus = "uploading" | "done" | "failed";

export interface Upload {
  /** Local id (the server id is in `info` once done). */
  id: string;
  name: string;
  size: number;
  /** Bytes sent so far. */
  loaded: number;
  status: UploadStatus;
  info: FileInfo | null;
  error: string | null;
}

// ---- pure parts ----

/** The multipart body of POST /files: `channel_id` must come before the files. */
export function buildUploadForm(channelId: Id, files: readonly File[]): FormData {
  const form = new FormData();
  form.append("channel_id", channelId);
  for (const f of files) form.append("files", f, f.name);
  return form;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${units[i]}`;
}

/**
 * Splits picked files into those that may go up and clear reasons for the
 * others: too large for the server, or beyond the per-post count.
 */
export function checkFiles<F extends { name: string; size: number }>(
  files: readonly F[],
  opts: { maxFileSize: number; already: number; maxCount?: number },
): { accepted: F[]; rejected: string[] } {
  const maxCount = opts.maxCount ?? MAX_FILES_PER_POST;
  const accepted: F[] = [];
  const rejected: string[] = [];
  let dropped = 0;
  for (const f of files) {
    if (opts.maxFileSize > 0 && f.size > opts.maxFileSize) {
      rejected.push(`“${f.name}” is ${formatBytes(f.size)}, over the ${formatBytes(opts.maxFileSize)} limit for files.`);
    } else if (opts.already + accepted.length >= maxCount) {
      dropped++;
    } else {
      accepted.push(f);
    }
  }
  if (dropped) {
    rejected.push(`A message can carry at most ${maxCount} files: ${dropped} file${dropped === 1 ? " was" : "s were"} not added.`);
  }
  return { accepted, rejected };
}

/** Reads the answer to POST /files: the stored files, or the error it stands for. */
export function parseUploadResponse(status: number, text: string, retryAfter: string | null): FileInfo[] {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (status >= 200 && status < 300 && Array.isArray(json)) return json as FileInfo[];
  if (status === 0) throw new ApiError(0, "network_error", "The server could not be reached.");
  const ra = Number(retryAfter);
  throw errorFromBody(status, json, Number.isFinite(ra) && ra > 0 ? ra : undefined);
}

export function uploadErrorText(e: unknown, maxFileSize: number): string {
  if (!(e instanceof ApiError)) return "The upload failed.";
  switch (e.code) {
    case "file_too_large":
    case "payload_too_large":
      return maxFileSize > 0 ? `The file is over the ${formatBytes(maxFileSize)} limit.` : "The file is too large.";
    case "network_error":
      return "Upload interrupted: the server could not be reached.";
    case "rate_limited":
      return `Too many uploads. Try again${e.retryAfter ? ` in ${e.retryAfter} s` : " shortly"}.`;
    case "channel_archived":
      return "This channel is archived.";
    default:
      return e.message;
  }
}

/** What a slot's uploads mean for sending. */
export function uploadSummary(list: readonly Upload[]): { uploading: number; failed: number; files: FileInfo[] } {
  let uploading = 0;
  let failed = 0;
  const files: FileInfo[] = [];
  for (const u of list) {
    if (u.status === "uploading") uploading++;
    else if (u.status === "failed") failed++;
    else if (u.info) files.push(u.info);
  }
  return { uploading, failed, files };
}

// ---- the live store ----

const EMPTY: Upload[] = [];
let slots: Record<string, Upload[]> = {};
const requests = new Map<string, XMLHttpRequest>();
const sources = new Map<string, File>();
const listeners = new Set<() => void>();
let seq = 0;

function setSlot(slot: string, fn: (list: Upload[]) => Upload[]): void {
  const next = fn(slots[slot] ?? EMPTY);
  if (next === slots[slot]) return;
  slots = { ...slots, [slot]: next };
  listeners.forEach((l) => l());
}

function patch(slot: string, id: string, p: Partial<Upload>): void {
  setSlot(slot, (list) => (list.some((u) => u.id === id) ? list.map((u) => (u.id === id ? { ...u, ...p } : u)) : list));
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function getUploads(slot: string): Upload[] {
  return slots[slot] ?? EMPTY;
}

export function useUploads(slot: string): Upload[] {
  return useSyncExternalStore(subscribe, () => getUploads(slot));
}

function send(slot: string, channelId: Id, id: string, file: File, maxFileSize: number): void {
  const xhr = new XMLHttpRequest();
  requests.set(id, xhr);
  xhr.open("POST", UPLOAD_URL);
  xhr.setRequestHeader("Accept", "application/json");
  const csrf = getCsrfToken();
  if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
  xhr.upload.onprogress = (e) => {
    if (e.lengthComputable) patch(slot, id, { loaded: Math.min(file.size, e.loaded) });
  };
  const fail = (e: unknown) => {
    requests.delete(id);
    patch(slot, id, { status: "failed", error: uploadErrorText(e, maxFileSize) });
  };
  xhr.onload = () => {
    try {
      const [info] = parseUploadResponse(xhr.status, xhr.responseText, xhr.getResponseHeader("Retry-After"));
      if (!info) throw new ApiError(xhr.status, "bad_response", "The server stored no file.");
      requests.delete(id);
      sources.delete(id);
      patch(slot, id, { status: "done", loaded: file.size, info, error: null });
    } catch (e) {
      fail(e);
    }
  };
  xhr.onerror = () => fail(new ApiError(0, "network_error", "The server could not be reached."));
  xhr.send(buildUploadForm(channelId, [file]));
}

/**
 * Starts uploading picked, pasted or dropped files into a slot; returns the
 * reasons some were refused (nothing starts for those).
 */
export function addFiles(slot: string, channelId: Id, files: readonly File[], maxFileSize: number): string[] {
  const { accepted, rejected } = checkFiles(files, { maxFileSize, already: getUploads(slot).length });
  const fresh: Upload[] = accepted.map((f) => ({
    id: `up${++seq}`,
    name: f.name || "pasted file",
    size: f.size,
    loaded: 0,
    status: "uploading",
    info: null,
    error: null,
  }));
  if (fresh.length) setSlot(slot, (list) => [...list, ...fresh]);
  fresh.forEach((u, i) => {
    sources.set(u.id, accepted[i]);
    send(slot, channelId, u.id, accepted[i], maxFileSize);
  });
  return rejected;
}

/** Stops an upload (or drops a finished or failed one from the message). */
export function cancelUpload(slot: string, id: string): void {
  const xhr = requests.get(id);
  requests.delete(id);
  sources.delete(id);
  if (xhr) {
    xhr.onload = xhr.onerror = null;
    xhr.abort();
  }
  setSlot(slot, (list) => list.filter((u) => u.id !== id));
}

export function retryUpload(slot: string, channelId: Id, id: string, maxFileSize: number): void {
  const file = sources.get(id);
  if (!file) return;
  patch(slot, id, { status: "uploading", loaded: 0, error: null });
  send(slot, channelId, id, file, maxFileSize);
}

/** Resolves once nothing in the slot is still uploading. */
export function uploadsSettled(slot: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (uploadSummary(getUploads(slot)).uploading === 0) {
        off();
        resolve();
      }
    };
    const off = subscribe(check);
    check();
  });
}

/** Empties a slot once its files went out with a post. */
export function clearUploads(slot: string): void {
  for (const u of getUploads(slot)) cancelUpload(slot, u.id);
  if (slots[slot]) setSlot(slot, () => EMPTY);
}

// ServerInfo.max_file_size for composers that are not handed it (fetched once).
let maxSize: Promise<number> | null = null;
export function fetchMaxFileSize(): Promise<number> {
  maxSize ??= api.systemInfo().then(
    (i) => i.max_file_size,
    () => {
      maxSize = null;
      return 0;
    },
  );
  return maxSize;
}
