import { describe, expect, it } from "vitest";
import { fileKind, fitSize, humanSize } from "./format";

describe("humanSize", () => {
  it("formats bytes in binary units", () => {
    expect(humanSize(0)).toBe("0 B");
    expect(humanSize(1023)).toBe("1023 B");
    expect(humanSize(1024)).toBe("1 KB");
    expect(humanSize(1536)).toBe("1.5 KB");
    expect(humanSize(20 * 1024 * 1024)).toBe("20 MB");
    expect(humanSize(3.25 * 1024 ** 3)).toBe("3.3 GB");
  });
});

describe("fileKind", () => {
  it("uses the MIME type first, then the extension", () => {
    expect(fileKind("image/png", "a.png")).toBe("image");
    expect(fileKind("application/pdf", "a")).toBe("pdf");
    expect(fileKind("application/octet-stream", "backup.tar.gz")).toBe("archive");
    expect(fileKind("application/octet-stream", "main.rs")).toBe("code");
    expect(fileKind("text/plain", "notes")).toBe("text");
    expect(fileKind("application/octet-stream", "blob")).toBe("other");
  });
});

describe("fitSize", () => {
  it("scales down keeping the ratio and never up", () => {
    expect(fitSize(1920, 1080, 480, 320)).toEqual({ width: 480, height: 270 });
    expect(fitSize(400, 1600, 480, 320)).toEqual({ width: 80, height: 320 });
    expect(fitSize(100, 50, 480, 320)).toEqual({ width: 100, height: 50 });
  });
});
