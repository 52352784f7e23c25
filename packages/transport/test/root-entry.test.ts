import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "..", "src");

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

describe("the root entry of @a2a/transport", () => {
  it("does not pull in mqtt.js (it lives behind @a2a/transport/mqtt)", async () => {
    const files = (await sourceFiles(src)).filter((f) => !f.includes(`${join(src, "mqtt")}`) && !f.includes(join(src, "binding")));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const code = await readFile(file, "utf8");
      expect(code, file).not.toMatch(/from "mqtt"|from "\.\.?\/mqtt\//);
    }
  });
});
