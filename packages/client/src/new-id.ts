import { randomUUID } from "node:crypto";

/**
 * A random UUID as one flat string. Node builds UUIDs by concatenation: until something
 * flattens it, a UUID is a tree of ~20 string pieces (~500 bytes instead of ~60), and
 * task and context ids live as long as their tasks. Reading a character flattens it.
 */
export function newId(): string {
  const id = randomUUID();
  id.charCodeAt(0);
  return id;
}
