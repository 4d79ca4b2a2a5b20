import { describe, expect, it } from "vitest";
import { escapeHtml, hasFencedCode, markdownToHtml, matchReference, referenceStart, safeHref } from "./markdown";

describe("references", () => {
  it("finds mentions and channel links only at a word boundary", () => {
    expect(referenceStart("hi @bob")).toBe(3);
    expect(referenceStart("mail bob@example.com")).toBeUndefined();
    expect(referenceStart("see ~town-square")).toBe(4);
    expect(referenceStart("@@bob")).toBeUndefined();
  });

  it("drops trailing punctuation from names", () => {
    expect(matchReference("@bob.")).toEqual({ sigil: "@", name: "bob", raw: "@bob" });
    expect(matchReference("~off-topic,")).toEqual({ sigil: "~", name: "off-topic", raw: "~off-topic" });
    expect(matchReference("@.")).toBeNull();
  });
});

describe("markdownToHtml", () => {
  it("renders @mentions as buttons and marks mine", () => {
    const html = markdownToHtml("hey @Alice and @bob.", { me: "bob" });
    expect(html).toContain('<button type="button" class="mention" data-mention="alice">@Alice</button>');
    expect(html).toContain('<button type="button" class="mention mention-me" data-mention="bob">@bob</button>.');
  });

  it("renders @here as a channel-wide mention, not a user", () => {
    expect(markdownToHtml("@here look")).toContain('<span class="mention mention-all">@here</span>');
  });

  it("renders ~channel links into the team", () => {
    const html = markdownToHtml("see ~Town-Square", { team: "acme" });
    expect(html).toContain('<a class="channel-link" data-channel="town-square" href="/acme/channels/town-square">~Town-Square</a>');
  });

  it("leaves e-mail addresses and code alone", () => {
    const html = markdownToHtml("write to bob@example.com or `@carol`");
    expect(html).not.toContain("data-mention");
    expect(html).toContain("<code>@carol</code>");
  });

  it("does not turn ~channel into strikethrough", () => {
    const html = markdownToHtml("~one and ~two");
    expect(html).not.toContain("<del>");
    expect(html.match(/channel-link/g)).toHaveLength(2);
  });

  it("shows raw HTML as text", () => {
    const html = markdownToHtml('<img src=x onerror="alert(1)"> <script>alert(1)</script>');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;");
  });

  it("drops unsafe link targets but keeps the text", () => {
    const html = markdownToHtml("[click](javascript:alert(1)) and [ok](https://example.com)");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("click");
    expect(html).toContain('<a href="https://example.com">ok</a>');
  });

  it("turns images into links", () => {
    const html = markdownToHtml("![cat](https://example.com/cat.png)");
    expect(html).not.toContain("<img");
    expect(html).toContain('<a href="https://example.com/cat.png">cat</a>');
  });

  it("renders tables, quotes and task lists", () => {
    const html = markdownToHtml("| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n\n- [x] done\n- [ ] todo");
    expect(html).toContain("<table>");
    expect(html).toContain("<blockquote>");
    expect(html).toMatch(/<input checked="" disabled="" type="checkbox"/);
  });

  it("marks fenced code with its language and escapes it", () => {
    const html = markdownToHtml("```rust\nlet a = <T>;\n```");
    expect(html).toContain('<code class="hljs language-rust">let a = &lt;T&gt;;');
    expect(hasFencedCode("```rust\nx\n```")).toBe(true);
    expect(hasFencedCode("no `code` fence")).toBe(false);
  });

  it("escapes the five HTML characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("accepts only safe link schemes", () => {
    expect(safeHref("https://x.test")).toBe("https://x.test");
    expect(safeHref("/team/pl/1")).toBe("/team/pl/1");
    expect(safeHref("//evil.test")).toBeNull();
    expect(safeHref("data:text/html,hi")).toBeNull();
  });
});
