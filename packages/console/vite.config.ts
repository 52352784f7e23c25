import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const shim = (name: string) => fileURLToPath(new URL(`./src/node-shims/${name}.ts`, import.meta.url));

// The page reuses @a2a/client and @a2a/transport as they are. Their few Node built-ins
// (random ids from node:crypto, an instanceof check on node:net's Socket, node:module's
// createRequire) are mapped to small browser versions here instead of being changed in
// the packages; mqtt.js comes in as its own browser bundle through the "browser" export
// condition.
export default defineConfig({
  base: "./",
  resolve: {
    alias: { "node:crypto": shim("crypto"), "node:net": shim("net"), "node:module": shim("module") },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 800,
  },
});
