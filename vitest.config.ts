import { defineConfig } from "vitest/config";

// Tests run against each package's TypeScript sources (the "@a2a/source" export
// condition), so a change is tested without a rebuild.
export default defineConfig({
  resolve: { conditions: ["@a2a/source"] },
  ssr: { resolve: { conditions: ["@a2a/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
