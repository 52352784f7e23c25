import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The shape of the sources, checked on every run: layers only point down, no import
 * cycles inside a package (type-only imports count: they still tie the files together),
 * no source file over 400 lines. Imports are read with a small scanner, not TypeScript.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const MAX_LINES = 400;

/** The workspace packages each package's sources may import: only lower layers. */
const ALLOWED: Record<string, readonly string[]> = {
  "@a2a/schema": [],
  "@a2a/transport": ["@a2a/schema"],
  "@a2a/agent": ["@a2a/schema", "@a2a/transport"],
  "@a2a/client": ["@a2a/schema", "@a2a/transport"],
  "@a2a/broker": ["@a2a/schema", "@a2a/transport"],
  "@a2a/gateway": ["@a2a/schema", "@a2a/transport", "@a2a/agent", "@a2a/client"],
  "@a2a/console": ["@a2a/schema", "@a2a/transport", "@a2a/client"],
  "@a2a/cli": ["@a2a/schema", "@a2a/transport", "@a2a/client", "@a2a/broker", "@a2a/gateway"],
  // Test helpers for every package's tests: they depend on none of the packages.
  "@a2a/testing": [],
  demo: ["@a2a/schema", "@a2a/transport", "@a2a/agent", "@a2a/client", "@a2a/broker", "@a2a/gateway", "@a2a/cli"],
};

interface SourcePackage {
  name: string;
  dir: string;
  src: string;
}

function sourcePackages(): SourcePackage[] {
  const found: SourcePackage[] = [];
  for (const group of ["packages", "apps"]) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      const dir = join(root, group, entry.name);
      if (!entry.isDirectory() || !existsSync(join(dir, "package.json")) || !existsSync(join(dir, "src"))) continue;
      const { name } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string };
      found.push({ name, dir, src: join(dir, "src") });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function sourceFiles(src: string): string[] {
  return readdirSync(src, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The code without comments (block comments and whole-line `//` comments), so examples in docs do not count. */
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

// `import ... from "x"`, `export ... from "x"`, `import "x"` and `import("x")`, type-only ones included.
const SPECIFIER = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function specifiers(code: string): string[] {
  return [...withoutComments(code).matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2])!);
}

/** The file a relative specifier names (`./x.js` is `./x.ts`), or undefined when it is not a source file. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".tsx"), base, `${base}.ts`, join(base, "index.ts")];
  return candidates.find((c) => /\.tsx?$/.test(c) && existsSync(c));
}

/** Every cycle of the import graph, once each, as the sorted files of its strongly connected component. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm: a component of more than one file, or a file importing itself, is a cycle.
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(next)!));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowlinks.get(node) !== indices.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

const packages = sourcePackages();

describe("the source structure", () => {
  it("finds the packages and their sources", () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(["@a2a/schema", "@a2a/transport", "@a2a/agent", "@a2a/client", "@a2a/cli", "demo"]));
    for (const pkg of packages) expect(sourceFiles(pkg.src).length, pkg.name).toBeGreaterThan(0);
  });

  it("the scanner sees value, type-only, re-export, side-effect and dynamic imports, and skips comments", () => {
    const code = [
      'import { a } from "./a.js";',
      'import type { B } from "./b.js";',
      'import {\n  c,\n  type C,\n} from "./c.js";',
      'export { d } from "./d.js";',
      'export type * from "./e.js";',
      'import "./f.js";',
      'const g = await import("./g.js");',
      '// import { h } from "./h.js";',
      '/** import { i } from "./i.js"; */',
    ].join("\n");
    expect(specifiers(code)).toEqual(["./a.js", "./b.js", "./c.js", "./d.js", "./e.js", "./f.js", "./g.js"]);
  });

  it("the cycle finder reports each cycle once, and nothing for a tree", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c", "d"]],
      ["c", ["a"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(importCycles(graph)).toEqual([["a", "b", "c"], ["e"]]);
    expect(importCycles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });

  it("each package imports only the workspace packages of lower layers", () => {
    const wrong: string[] = [];
    for (const pkg of packages) {
      const allowed = ALLOWED[pkg.name];
      expect(allowed, `${pkg.name} has no place in the layers (ALLOWED in this test)`).toBeDefined();
      for (const file of sourceFiles(pkg.src)) {
        for (const specifier of specifiers(readFileSync(file, "utf8"))) {
          const target = /^(@a2a\/[^/]+|demo)(?:\/|$)/.exec(specifier)?.[1];
          if (target === undefined) continue;
          if (target === pkg.name || !allowed!.includes(target)) wrong.push(`${relative(root, file)} imports ${specifier}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("no package has an import cycle among its source files, type-only imports included", () => {
    const found: string[] = [];
    for (const pkg of packages) {
      const graph = new Map<string, string[]>();
      for (const file of sourceFiles(pkg.src)) {
        const targets = specifiers(readFileSync(file, "utf8"))
          .filter((s) => s.startsWith("."))
          .map((s) => resolveRelative(file, s))
          .filter((t): t is string => t !== undefined);
        graph.set(file, [...new Set(targets)]);
      }
      for (const cycle of importCycles(graph)) found.push(`${relative(root, pkg.src)}: ${cycle.map((f) => relative(pkg.src, f)).join(" <-> ")}`);
    }
    expect(found).toEqual([]);
  });

  it(`no source file is over ${MAX_LINES} lines`, () => {
    const long: string[] = [];
    for (const pkg of packages) {
      for (const file of sourceFiles(pkg.src)) {
        const lines = readFileSync(file, "utf8").split("\n").length - 1;
        if (lines > MAX_LINES) long.push(relative(root, file));
      }
    }
    expect(long).toEqual([]);
  });
});
