#!/usr/bin/env node
// The installed `a2a` command: runs the built CLI. In a clone of the repository,
// `pnpm install` builds it (the root's prepare script); say so rather than print a
// module-not-found stack when it has not been built.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("a2a: the CLI is not built yet (no dist/cli.js). In the repository, run `pnpm install` or `pnpm build`, then retry.\n");
  process.exit(1);
}
await import(cli.href);
