// Lint rules for the web client: ESLint's and typescript-eslint's recommended
// sets and the React hooks rules. `npm run lint` fails on any warning, so a
// finding is either fixed or disabled in place with a reason after `--`.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig([
  globalIgnores(["dist/", "src/api/schema.gen.ts"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `const { dropped: _, ...rest } = x` is how a field is left out of a copy.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat["recommended-latest"]],
    languageOptions: { globals: globals.browser },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // These four check code for the React Compiler, which the client does not
      // use. They flag patterns the client relies on and plain React supports:
      // the latest-callback ref read during render, state reset in an effect
      // when a key changes, `Date.now()` for who is typing, and
      // @tanstack/react-virtual. Turn them on together with the compiler.
      "react-hooks/refs": "off",
      "react-hooks/set-state-in-effect": "off",
      "react-hooks/purity": "off",
      "react-hooks/incompatible-library": "off",
    },
  },
  {
    // The end-to-end scripts run in Node and hand functions to the page.
    files: ["e2e/**/*.mjs", "scripts/**/*.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
]);
