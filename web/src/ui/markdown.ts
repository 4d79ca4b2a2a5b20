// Markdown → sanitized HTML. Post text is untrusted: raw HTML in it is shown
// as text, link targets are limited to safe schemes, and everything marked
// emits still passes through DOMPurify. `@user` mentions and `~channel` links
// become elements the message view makes clickable (by event delegation);
// `:emoji:` names become characters once the emoji table is loaded; fenced
// code is highlighted once the highlighter (its own chunk) has loaded.
import DOMPurify from "dompurify";
import { Marked, type Tokens, type TokenizerAndRendererExtension } from "marked";
import { useSyncExternalStore } from "react";
import { emojiChar, emojiLoaded, loadEmoji, onEmojiLoaded } from "./emoji";

export interface RenderContext {
  /** My username: mentions of me are marked `mention-me`. */
  me?: string;
  /** The team whose channels `~name` links point into. */
  team?: string;
}

type Highlighter = (code: string, lang: string) => string | null;
let highlighter: Highlighter | null = null;

// ---- output version: bumps when the highlighter or emoji table arrives ----
let version = 0;
const listeners = new Set<() => void>();
function bump(): void {
  version++;
  cache.clear();
  listeners.forEach((l) => l());
}
onEmojiLoaded(bump);

/** Re-renders markdown users when better output becomes available. */
export function useMarkdownVersion(): number {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
}

let hlLoading: Promise<void> | null = null;
export function loadHighlighter(): Promise<void> {
  hlLoading ??= import("./messages/highlight").then((m) => {
    highlighter = m.highlight;
    bump();
  });
  return hlLoading;
}

// ---- pure helpers ----
const NAME_CHAR = /[A-Za-z0-9._-]/;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Link targets allowed in posts: web, mail and same-site addresses. */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h)) return h;
  if (/^\/(?!\/)/.test(h) || h.startsWith("#")) return h;
  return null;
}

/**
 * Index in `src` of the first `@` or `~` that starts a reference: not preceded
 * by a name character or `@` (so e-mail addresses are not mentions), as the
 * server's parser decides.
 */
export function referenceStart(src: string): number | undefined {
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if ((c === "@" || c === "~") && (i === 0 || !(NAME_CHAR.test(src[i - 1]) || src[i - 1] === "@"))) {
      if (i + 1 < src.length && NAME_CHAR.test(src[i + 1])) return i;
    }
  }
  return undefined;
}

/** `@name` / `~name` at the start of `src`: the sigil, the name (trailing `.-_` dropped) and its length. */
export function matchReference(src: string): { sigil: "@" | "~"; name: string; raw: string } | null {
  const m = /^([@~])([A-Za-z0-9._-]+)/.exec(src);
  if (!m) return null;
  const name = m[2].replace(/[._-]+$/, "");
  if (!name) return null;
  return { sigil: m[1] as "@" | "~", name, raw: m[1] + name };
}

const SPECIAL = new Set(["channel", "here", "all"]);

interface RefToken extends Tokens.Generic {
  type: "reference";
  raw: string;
  sigil: "@" | "~";
  name: string;
}
interface EmojiToken extends Tokens.Generic {
  type: "emojiName";
  raw: string;
  name: string;
  char: string;
}

function makeMarked(ctx: RenderContext): Marked {
  const me = ctx.me?.toLowerCase();
  const reference: TokenizerAndRendererExtension = {
    name: "reference",
    level: "inline",
    start: referenceStart,
    tokenizer(src): RefToken | undefined {
      const m = matchReference(src);
      return m ? { type: "reference", raw: m.raw, sigil: m.sigil, name: m.name } : undefined;
    },
    renderer(token) {
      const t = token as RefToken;
      const name = escapeHtml(t.name);
      if (t.sigil === "~") {
        const href = ctx.team ? `/${encodeURIComponent(ctx.team)}/channels/${encodeURIComponent(t.name.toLowerCase())}` : "#";
        return `<a class="channel-link" data-channel="${escapeHtml(t.name.toLowerCase())}" href="${escapeHtml(href)}">~${name}</a>`;
      }
      const lower = t.name.toLowerCase();
      if (SPECIAL.has(lower)) return `<span class="mention mention-all">@${name}</span>`;
      const cls = lower === me ? "mention mention-me" : "mention";
      return `<button type="button" class="${cls}" data-mention="${escapeHtml(lower)}">@${name}</button>`;
    },
  };
  const emoji: TokenizerAndRendererExtension = {
    name: "emojiName",
    level: "inline",
    start: (src) => {
      const i = src.indexOf(":");
      return i < 0 ? undefined : i;
    },
    tokenizer(src): EmojiToken | undefined {
      const m = /^:([a-z0-9_+-]+):/.exec(src);
      const char = m ? emojiChar(m[1]) : undefined;
      return m && char ? { type: "emojiName", raw: m[0], name: m[1], char } : undefined;
    },
    renderer(token) {
      const t = token as EmojiToken;
      return `<span class="emoji" title=":${escapeHtml(t.name)}:">${escapeHtml(t.char)}</span>`;
    },
  };
  return new Marked({
    gfm: true,
    breaks: true,
    async: false,
    extensions: [reference, emoji],
    renderer: {
      // Raw HTML in a post is text, as in Slack and Mattermost.
      html({ text }) {
        return escapeHtml(text);
      },
      code({ text, lang }) {
        const language = (lang ?? "").trim().split(/\s+/)[0].toLowerCase();
        const highlighted = language && highlighter ? highlighter(text, language) : null;
        const cls = language ? ` class="hljs language-${escapeHtml(language)}"` : ` class="hljs"`;
        return `<pre><code${cls}>${highlighted ?? escapeHtml(text)}</code></pre>\n`;
      },
      link({ href, title, tokens }) {
        const inner = this.parser.parseInline(tokens);
        const safe = safeHref(href);
        if (!safe) return inner;
        const t = title ? ` title="${escapeHtml(title)}"` : "";
        return `<a href="${escapeHtml(safe)}"${t}>${inner}</a>`;
      },
      // No remote images: they leak reads to third parties. Show a link instead.
      image({ href, text }) {
        const safe = safeHref(href);
        const label = escapeHtml(text || href);
        return safe ? `<a href="${escapeHtml(safe)}">${label}</a>` : label;
      },
    },
  });
}

const parsers = new Map<string, Marked>();
function parserFor(ctx: RenderContext): Marked {
  const key = `${ctx.me ?? ""}\n${ctx.team ?? ""}`;
  let m = parsers.get(key);
  if (!m) {
    m = makeMarked(ctx);
    parsers.set(key, m);
  }
  return m;
}

/** Markdown → HTML before sanitizing (pure: usable without a DOM). */
export function markdownToHtml(text: string, ctx: RenderContext = {}): string {
  return parserFor(ctx).parse(text) as string;
}

/** Whether the text has fenced code (worth loading the highlighter for). */
export function hasFencedCode(text: string): boolean {
  return /(^|\n) {0,3}(```|~~~)/.test(text);
}

/** Whether the text names an emoji (`:name:`), worth loading the emoji table for. */
export function hasEmojiName(text: string): boolean {
  return /:[a-z0-9_+-]+:/.test(text);
}

// ---- sanitizing ----
const ALLOWED_CLASS = /^(hljs(-[\w-]+)?|language-[\w+#-]+|mention(-me|-all)?|channel-link|emoji|[\w-]+_)$/;

let hooked = false;
function hook(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook("uponSanitizeAttribute", (_node, data) => {
    if (data.attrName === "class") {
      data.attrValue = data.attrValue
        .split(/\s+/)
        .filter((c) => ALLOWED_CLASS.test(c))
        .join(" ");
    }
  });
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    // DOMPurify drops `type`; the only inputs are task-list boxes, the only buttons mentions.
    if (node.tagName === "INPUT") {
      node.setAttribute("type", "checkbox");
      node.setAttribute("disabled", "");
    }
    if (node.tagName === "BUTTON") node.setAttribute("type", "button");
    // Channel links stay in the app; every other link opens a new tab without an opener.
    if (node.tagName === "A" && !node.hasAttribute("data-channel")) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
  });
}

const cache = new Map<string, string>();

/** Sanitized HTML for a post's text (cached; `useMarkdownVersion` tells when to re-render). */
export function renderMarkdown(text: string, ctx: RenderContext = {}): string {
  const key = `${ctx.me ?? ""}\n${ctx.team ?? ""}\n${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  if (!highlighter && hasFencedCode(text)) void loadHighlighter();
  if (!emojiLoaded() && hasEmojiName(text)) void loadEmoji();
  hook();
  const html = DOMPurify.sanitize(markdownToHtml(text, ctx), {
    ALLOWED_TAGS: [
      "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "button",
      "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "input", "span",
    ],
    ALLOWED_ATTR: ["href", "title", "type", "checked", "disabled", "align", "start", "class", "data-mention", "data-channel"],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/|#)/i,
  });
  if (cache.size > 2000) cache.clear();
  cache.set(key, html);
  return html;
}
