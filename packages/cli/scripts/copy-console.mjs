// Copies the built web console (@a2a/console) into dist/console, so the published CLI
// serves it with `a2a ui` without a build on the user's machine.
import { cpSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const from = join(dirname(require.resolve("@a2a/console/package.json")), "dist");
const to = new URL("../dist/console", import.meta.url).pathname;
if (!existsSync(join(from, "index.html"))) {
  console.error(`copy-console: ${from} has no index.html; build @a2a/console first (turbo builds it before the CLI).`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
