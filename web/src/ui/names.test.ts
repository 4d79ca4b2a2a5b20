import { describe, expect, it } from "vitest";
import { typingText } from "./names";

describe("typingText", () => {
  it("names up to three people, then summarises", () => {
    expect(typingText([])).toBe("");
    expect(typingText(["Alice"])).toBe("Alice is typing…");
    expect(typingText(["Alice", "Bob", "Carol"])).toBe("Alice, Bob, Carol are typing…");
    expect(typingText(["A", "B", "C", "D"])).toBe("Several people are typing…");
  });
});
