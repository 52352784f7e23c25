/**
 * Packs every public package of the workspace (packages/* without "private": true) into
 * one folder with `pnpm pack`, as they would be published: `workspace:` ranges become
 * versions, and the root LICENSE goes into every tarball.
 *
 *   pnpm pack:all                  # tarballs in ./packs
 *   pnpm pack:all --out /tmp/a2a   # elsewhere
 *
 * Then, in any project: npm install /path/to/packs/a2a-*.tgz
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface PublicPackage {
  name: string;
  version: string;
  dir: string;
}

export interface PackedPackage extends PublicPackage {
  /** The tarball's absolute path. */
  tarball: string;
}

/** The packages that are published: every packages/* whose package.json is not private. */
export async function publicPackages(root = ROOT): Promise<PublicPackage[]> {
  const found: PublicPackage[] = [];
  for (const entry of (await readdir(join(root, "packages"), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(root, "packages", entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, "package.json"))) continue;
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { name: string; version: string; private?: boolean };
    if (pkg.private !== true) found.push({ name: pkg.name, version: pkg.version, dir });
  }
  return found;
}

/** `pnpm pack` of each public package into `out`; packages must be built (`pnpm build`). */
export async function packAll(out: string, root = ROOT): Promise<PackedPackage[]> {
  await mkdir(out, { recursive: true });
  const packages = await publicPackages(root);
  return Promise.all(
    packages.map(async (pkg) => {
      // npm and pnpm put a package's own LICENSE file into its tarball.
      if (!existsSync(join(pkg.dir, "LICENSE"))) await copyFile(join(root, "LICENSE"), join(pkg.dir, "LICENSE"));
      const { stdout } = await run("pnpm", ["pack", "--pack-destination", out, "--json"], { cwd: pkg.dir, maxBuffer: 16 * 1024 * 1024 });
      const report = JSON.parse(stdout) as { filename: string };
      return { ...pkg, tarball: resolve(out, basename(report.filename)) };
    }),
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  const out = resolve(at > 0 ? (process.argv[at + 1] ?? "packs") : join(ROOT, "packs"));
  process.stderr.write("Building (turbo)...\n");
  await run("pnpm", ["build"], { cwd: ROOT });
  const packed = await packAll(out);
  for (const p of packed) process.stdout.write(`${p.tarball}\n`);
  process.stderr.write(`${packed.length} packages packed into ${out}; install them with: npm install ${join(out, "*.tgz")}\n`);
}
