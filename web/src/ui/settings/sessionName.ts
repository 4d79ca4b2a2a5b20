// Sessions are named by the browser's User-Agent at sign-in: show them the way
// people recognise them ("Chrome on Linux").

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/HeadlessChrome\//, "Headless Chrome"],
  [/Chrome\/|CriOS\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, "iOS"],
  [/Android/, "Android"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux|X11/, "Linux"],
];

export function sessionLabel(name: string): string {
  const n = name.trim();
  if (!n) return "Unnamed session";
  if (!/^Mozilla\/|AppleWebKit|Gecko\//.test(n)) return n; // a client that named itself (CLI, script)
  const browser = BROWSERS.find(([re]) => re.test(n))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(n))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Web browser";
}
