// Markdown → sanitized HTML. Post text is untrusted: everything marked emits
// passes through DOMPurify, and links open in a new tab without an opener.
import DOMPurify from "dompurify";
import { Marked } from "marked";

const md = new Marked({ gfm: true, breaks: true, async: false });

let hooked = false;
function hook(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
    // No remote images: they leak reads to third parties. Show the link instead.
    if (node.tagName === "IMG") {
      const a = node.ownerDocument.createElement("a");
      a.setAttribute("href", node.getAttribute("src") ?? "#");
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer nofollow");
      a.textContent = node.getAttribute("alt") || node.getAttribute("src") || "image";
      node.replaceWith(a);
    }
  });
}

const cache = new Map<string, string>();

export function renderMarkdown(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  hook();
  const raw = md.parse(text) as string;
  const html = DOMPurify.sanitize(raw, {
    ALLOWED_TAGS: [
      "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
      "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "img", "input", "span",
    ],
    ALLOWED_ATTR: ["href", "title", "alt", "src", "type", "checked", "disabled", "align"],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/|#)/i,
  });
  if (cache.size > 2000) cache.clear();
  cache.set(text, html);
  return html;
}
