import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packAll, type PackedPackage } from "../../scripts/pack-all.js";

/**
 * Every public package, packed as it would be published, passes publint and "are the
 * types wrong" for an ESM-only package (types resolve under node16 ESM and bundler; a
 * CommonJS `require` is not supported, as the READMEs say), and ships what a user needs.
 */
let out: string;
let packed: PackedPackage[];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "a2a-packs-"));
  packed = await packAll(out);
}, 120_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

/** attw's esm-only profile: CommonJS resolution (node10, node16 from CJS) is not checked. */
const ESM_ONLY_IGNORED = new Set(["node10", "node16-cjs"]);

describe("the published packages", () => {
  it("are every public package of the workspace", () => {
    expect(packed.map((p) => p.name)).toEqual(expect.arrayContaining(["@a2a/schema", "@a2a/transport", "@a2a/agent", "@a2a/client", "@a2a/broker", "@a2a/cli"]));
    expect(packed.map((p) => p.name)).not.toContain("@a2a/testing");
  });

  it("pass publint (warnings included) and attw's esm-only profile", async () => {
    const failures: string[] = [];
    await Promise.all(
      packed.map(async (p) => {
        const data = await readFile(p.tarball);
        const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        const lint = await publint({ pack: { tarball }, level: "warning" });
        for (const message of lint.messages) failures.push(`${p.name} publint: ${formatMessage(message, lint.pkg) ?? message.code}`);
        const types = await checkPackage(createPackageFromTarballData(new Uint8Array(data)));
        const problems = "problems" in types ? types.problems : [];
        for (const problem of problems) {
          if ("resolutionKind" in problem && ESM_ONLY_IGNORED.has(problem.resolutionKind)) continue;
          failures.push(`${p.name} attw: ${JSON.stringify(problem)}`);
        }
        if (!("problems" in types)) failures.push(`${p.name} attw: no types found`);
      }),
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it("ship the LICENSE, a README opening with an example, their metadata, and no private or test files", async () => {
    const license = await readFile(join(import.meta.dirname, "../../LICENSE"), "utf8");
    expect(license).toContain("Apache License\n                           Version 2.0");
    for (const p of packed) {
      const files = createPackageFromTarballData(new Uint8Array(await readFile(p.tarball)));
      const root = `/node_modules/${p.name}`;
      expect(files.readFile(`${root}/LICENSE`), p.name).toBe(license);
      const readme = files.readFile(`${root}/README.md`);
      // The first example (a code block that is not an install command) is in the first section.
      const blocks = [...readme.matchAll(/```\w*\n([\s\S]*?)```/g)].filter((m) => !/^(npm|pnpm) (i|install|add) /.test(m[1] ?? ""));
      const secondHeading = readme.split("\n## ").slice(0, 2).join("\n## ").length;
      expect(blocks[0]?.index ?? Infinity, `${p.name} README opens with an example`).toBeLessThan(secondHeading);
      expect(readme, `${p.name} README says ESM only`).toMatch(/ESM only/);
      expect(readme, `${p.name} README says how to install from the repository`).toContain("pnpm pack:all");
      const pkg = JSON.parse(files.readFile(`${root}/package.json`)) as Record<string, unknown>;
      expect(pkg, p.name).toMatchObject({ license: "Apache-2.0", type: "module", engines: { node: ">=20" }, publishConfig: { access: "public" } });
      expect((pkg.repository as { url?: string } | undefined)?.url, p.name).toMatch(/^git\+https:/);
      expect((pkg.keywords as string[] | undefined) ?? [], p.name).toContain("mqtt");
      for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
        const deps = Object.entries((pkg[field] as Record<string, string> | undefined) ?? {});
        expect(deps.filter(([name, range]) => name === "@a2a/testing" || range.startsWith("workspace:")), `${p.name} ${field}`).toEqual([]);
      }
      const listed = files.listFiles();
      expect(listed.filter((f) => /\/test\/|\.test\.|tsbuildinfo|\.tgz$/.test(f)), p.name).toEqual([]);
    }
  });
});
