// A one-line plain-text excerpt of a post's markdown, for lists of threads.
const MAX = 140;

export function excerpt(markdown: string, max = MAX): string {
  const text = markdown
    .replace(/```[\s\S]*?(```|$)/g, " [code] ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)/gm, "")
    .replace(/(\*\*|__|~~)(.+?)\1/g, "$2")
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=$|[\s).,!?])/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max - 1).join("").trimEnd() + "…" : text;
}
