import { expect, test } from "vitest";
import * as schema from "@a2a/schema";
test("loads", () => { expect(schema).toBeDefined(); });
