import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import type { FileInfo } from "../api/types";
import { buildUploadForm, checkFiles, formatBytes, parseUploadResponse, uploadErrorText, uploadSummary, type Upload } from "./uploads";

const info = (id: string): FileInfo => ({
  id,
  uploader_id: "u1",
  channel_id: "c1",
  post_id: null,
  name: `${id}.txt`,
  mime_type: "text/plain",
  size: 3,
  sha256: "",
  width: null,
  height: null,
  has_preview: false,
  created_at: 0,
});

describe("buildUploadForm", () => {
  it("puts channel_id first, then one `files` part per file with its name", async () => {
    const a = new File(["aaa"], "a.txt", { type: "text/plain" });
    const b = new File(["bb"], "b b.png", { type: "image/png" });
    const form = buildUploadForm("c1", [a, b]);
    const entries = [...form.entries()];
    expect(entries.map(([k]) => k)).toEqual(["channel_id", "files", "files"]);
    expect(entries[0][1]).toBe("c1");
    const [fa, fb] = [entries[1][1] as File, entries[2][1] as File];
    expect([fa.name, fb.name]).toEqual(["a.txt", "b b.png"]);
    expect(await fa.text()).toBe("aaa");
    expect(fb.type).toBe("image/png");
  });
});

describe("checkFiles", () => {
  const f = (name: string, size: number) => ({ name, size });
  it("refuses files over the server limit with their size and the limit", () => {
    const r = checkFiles([f("small", 10), f("big.mov", 3 * 1024 * 1024)], { maxFileSize: 1024 * 1024, already: 0 });
    expect(r.accepted.map((x) => x.name)).toEqual(["small"]);
    expect(r.rejected).toEqual(["“big.mov” is 3 MB, over the 1 MB limit for files."]);
  });
  it("keeps at most ten files per message, counting those already attached", () => {
    const files = Array.from({ length: 5 }, (_, i) => f(`f${i}`, 1));
    const r = checkFiles(files, { maxFileSize: 100, already: 7 });
    expect(r.accepted.map((x) => x.name)).toEqual(["f0", "f1", "f2"]);
    expect(r.rejected).toEqual(["A message can carry at most 10 files: 2 files were not added."]);
    expect(checkFiles([f("x", 1)], { maxFileSize: 100, already: 10 }).rejected[0]).toMatch(/1 file was not added/);
  });
  it("treats an unknown limit (0) as no size limit", () => {
    expect(checkFiles([f("x", 1e12)], { maxFileSize: 0, already: 0 }).accepted).toHaveLength(1);
  });
});

describe("formatBytes", () => {
  it("picks a readable unit", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MB");
    expect(formatBytes(2.25 * 1024 ** 3)).toBe("2.3 GB");
  });
});

describe("parseUploadResponse", () => {
  it("returns the stored files on success", () => {
    expect(parseUploadResponse(201, JSON.stringify([info("f1")]), null)).toEqual([info("f1")]);
  });
  it("turns error bodies into typed errors with Retry-After", () => {
    const body = JSON.stringify({ error: { code: "rate_limited", message: "slow down" } });
    try {
      parseUploadResponse(429, body, "7");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe("rate_limited");
      expect((e as ApiError).retryAfter).toBe(7);
      expect(uploadErrorText(e, 0)).toBe("Too many uploads. Try again in 7 s.");
    }
  });
  it("reports a lost connection and a too-large file clearly", () => {
    expect(() => parseUploadResponse(0, "", null)).toThrow(/could not be reached/);
    let err: unknown;
    try {
      parseUploadResponse(413, JSON.stringify({ error: { code: "file_too_large", message: "x" } }), null);
    } catch (e) {
      err = e;
    }
    expect(uploadErrorText(err, 1024 * 1024)).toBe("The file is over the 1 MB limit.");
  });
});

describe("uploadSummary", () => {
  it("counts what is still moving or broken and lists finished files in order", () => {
    const u = (id: string, status: Upload["status"], i: FileInfo | null = null): Upload => ({
      id,
      name: id,
      size: 1,
      loaded: 0,
      status,
      info: i,
      error: null,
    });
    const s = uploadSummary([u("a", "done", info("f1")), u("b", "uploading"), u("c", "failed"), u("d", "done", info("f2"))]);
    expect(s).toEqual({ uploading: 1, failed: 1, files: [info("f1"), info("f2")] });
  });
});
