// ESLint for the whole workspace: typescript-eslint with type information for every
// TypeScript file (sources through each package's tsconfig.json; tests, benchmarks,
// examples and scripts through tsconfig.test.json), plain ESLint for the JavaScript
// files. `pnpm lint` and `pnpm test` run it after `tsc -p tsconfig.test.json`.
import { defineConfig } from "eslint/config";
import { globals, js, tseslint } from "@a2a/lint";

export default defineConfig(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "packs/**",
      "bench-results/**",
      "coverage/**",
      "test-artifacts/**",
      ".tmp/**",
      // Scratch folders that tests make and remove (README snippets, quick starts).
      "**/.tmp-*/**",
      "**/.quick-start-*/**",
    ],
  },
  {
    // A disable comment that no longer disables anything is an error: each one stays meaningful.
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  {
    rules: {
      // A variable assigned once, later, but read before that by a closure stays `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Past three parameters, a function takes one options object.
      "max-params": ["error", 3],
    },
  },
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.eslint.json", "./packages/console/tsconfig.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Past three parameters, a function takes one options object.
      "@typescript-eslint/max-params": ["error", { max: 3 }],
      // A switch over a union names every member (a `default` does not count), so a new
      // member is handled on purpose wherever the union is switched on.
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // A caught error or an AbortSignal's reason is passed on as it came.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Promise-returning interface methods are written `async` without an `await` so
      // that a synchronous throw still becomes a rejection, as callers expect.
      "@typescript-eslint/require-await": "off",
      // A leading underscore marks a parameter that a signature requires but the body
      // does not use; rest siblings drop the properties they leave out.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
);
