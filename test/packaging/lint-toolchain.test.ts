import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The version of `typescript` that code at `from` (a file path) loads. */
function typescriptVersionFrom(from: string): string {
  const require = createRequire(from);
  return (require("typescript") as { version: string }).version;
}

describe("the lint toolchain", () => {
  it("typescript-eslint's parser and rules load TypeScript 6.0 (with the compiler API), builds TypeScript 7", () => {
    const fromLint = createRequire(join(root, "tools/lint/package.json"));
    const plugin = fromLint.resolve("typescript-eslint");
    const estree = createRequire(plugin).resolve("@typescript-eslint/typescript-estree");
    const rules = createRequire(plugin).resolve("@typescript-eslint/eslint-plugin");
    const typeUtils = createRequire(rules).resolve("@typescript-eslint/type-utils");
    for (const [pkg, entry] of [["parser (typescript-estree)", estree], ["rules", rules], ["type-utils", typeUtils]] as const) {
      expect(typescriptVersionFrom(entry), pkg).toMatch(/^6\.0\./);
      expect(typeof (createRequire(entry)("typescript") as { createProgram?: unknown }).createProgram, pkg).toBe("function");
    }
    expect(typescriptVersionFrom(join(root, "package.json"))).toMatch(/^7\./);
  });
});
