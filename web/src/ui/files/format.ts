// File sizes, kinds and preview sizes for attachments.

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB" (binary multiples, one decimal under 10). */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v} B`;
  const s = v < 10 ? v.toFixed(1).replace(/\.0$/, "") : Math.round(v).toString();
  return `${s} ${UNITS[u]}`;
}

export type FileKind = "image" | "video" | "audio" | "pdf" | "archive" | "code" | "spreadsheet" | "presentation" | "document" | "text" | "other";

const EXT: Record<string, FileKind> = {
  zip: "archive", gz: "archive", tgz: "archive", tar: "archive", "7z": "archive", rar: "archive", bz2: "archive", xz: "archive",
  js: "code", ts: "code", tsx: "code", jsx: "code", rs: "code", go: "code", py: "code", java: "code", c: "code", h: "code",
  cpp: "code", cs: "code", rb: "code", php: "code", sh: "code", json: "code", yaml: "code", yml: "code", toml: "code", sql: "code",
  html: "code", css: "code", xml: "code",
  csv: "spreadsheet", xls: "spreadsheet", xlsx: "spreadsheet", ods: "spreadsheet",
  ppt: "presentation", pptx: "presentation", odp: "presentation", key: "presentation",
  doc: "document", docx: "document", odt: "document", rtf: "document", pages: "document",
  txt: "text", md: "text", log: "text",
  pdf: "pdf",
};

export function fileKind(mime: string, name: string): FileKind {
  const m = mime.toLowerCase();
  if (m.startsWith("image/")) return "image";
  if (m.startsWith("video/")) return "video";
  if (m.startsWith("audio/")) return "audio";
  if (m === "application/pdf") return "pdf";
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  const byExt = EXT[ext];
  if (byExt) return byExt;
  if (m.startsWith("text/")) return "text";
  return "other";
}

export const KIND_ICON: Record<FileKind, string> = {
  image: "🖼", video: "🎞", audio: "🎵", pdf: "📕", archive: "🗜", code: "📜", spreadsheet: "📊",
  presentation: "📽", document: "📝", text: "📄", other: "📎",
};

export const KIND_LABEL: Record<FileKind, string> = {
  image: "Image", video: "Video", audio: "Audio", pdf: "PDF", archive: "Archive", code: "Code", spreadsheet: "Spreadsheet",
  presentation: "Presentation", document: "Document", text: "Text", other: "File",
};

/** Scales (w, h) down to fit in (maxW, maxH), keeping the ratio; never scales up. */
export function fitSize(w: number, h: number, maxW: number, maxH: number): { width: number; height: number } {
  if (w <= 0 || h <= 0) return { width: maxW, height: maxH };
  const k = Math.min(1, maxW / w, maxH / h);
  return { width: Math.max(1, Math.round(w * k)), height: Math.max(1, Math.round(h * k)) };
}
