import { describe, expect, it } from "vitest";
import { sessionLabel } from "./sessionName";

describe("sessionLabel", () => {
  it("names browsers and systems from a User-Agent", () => {
    expect(sessionLabel("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(sessionLabel("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15")).toBe("Safari on macOS");
    expect(sessionLabel("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0")).toBe("Firefox on Windows");
    expect(sessionLabel("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0")).toBe("Edge on Windows");
    expect(sessionLabel("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1")).toBe("Chrome on iOS");
  });
  it("keeps names clients chose themselves", () => {
    expect(sessionLabel("hearth-cli")).toBe("hearth-cli");
    expect(sessionLabel("  ")).toBe("Unnamed session");
  });
});
