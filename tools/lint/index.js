// typescript-eslint drives TypeScript's JavaScript compiler API. TypeScript 7 (the
// workspace's compiler, used by builds and `tsc`) is the native compiler without that
// API, so this package depends on TypeScript 6.0 and pnpm resolves typescript-eslint's
// `typescript` peer to it here; everything else in the workspace stays on 7.
export { default as js } from "@eslint/js";
export { default as globals } from "globals";
export { default as tseslint } from "typescript-eslint";
