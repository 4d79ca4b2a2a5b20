import { describe, expect, it } from "vitest";
import { excerpt } from "./excerpt";

describe("excerpt", () => {
  it("strips markdown to one line of text", () => {
    expect(excerpt("# Release\n\n**Ship** it _today_, see [the plan](http://x.test) and `make`")).toBe(
      "Release Ship it today, see the plan and make",
    );
  });
  it("replaces code blocks and quotes", () => {
    expect(excerpt("> quoted\n```\nlet a = 1;\n```\nafter")).toBe("quoted [code] after");
  });
  it("cuts long text with an ellipsis, never inside a character", () => {
    const out = excerpt("😀".repeat(10), 5);
    expect(out).toBe("😀😀😀😀…");
  });
  it("keeps snake_case words intact", () => {
    expect(excerpt("use my_var_name here")).toBe("use my_var_name here");
  });
});
