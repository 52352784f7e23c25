import { z } from "zod";
import { normalizePart } from "./normalize-v03.js";
import { Base64Schema, MetadataSchema, UrlSchema } from "./primitives.js";

interface PartCommon {
  metadata?: Record<string, unknown> | undefined;
  filename?: string | undefined;
  mediaType?: string | undefined;
}
/** Plain text content. */
export interface TextPart extends PartCommon { text: string }
/** Inline file bytes, base64 in JSON. */
export interface RawPart extends PartCommon { raw: string }
/** File content by reference. */
export interface UrlPart extends PartCommon { url: string }
/** Structured content: any JSON value. */
export interface DataPart extends PartCommon { data: unknown }

const CONTENT_KEYS = ["text", "raw", "url", "data"] as const;

const PartFieldsSchema = z.object({
  text: z.string().optional(),
  raw: Base64Schema.optional(),
  url: UrlSchema.optional(),
  data: z.unknown().optional(),
  metadata: MetadataSchema.optional(),
  filename: z.string().optional(),
  mediaType: z.string().optional(),
});

/**
 * A message or artifact part: exactly one of `text`, `raw`, `url`, `data`.
 * Accepts 0.3 parts (`kind`, `file: {bytes|uri, name, mimeType}`) and outputs 1.0.
 */
export const PartSchema = z.preprocess(
  normalizePart,
  PartFieldsSchema.superRefine((p, ctx) => {
    const present = CONTENT_KEYS.filter((k) => k in p && (k === "data" || p[k] !== undefined));
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          present.length === 0
            ? "must have exactly one of text, raw, url, data"
            : `must have exactly one of text, raw, url, data (got ${present.join(", ")})`,
      });
    }
  }).transform((p) => p as Part),
);
export type Part = TextPart | RawPart | UrlPart | DataPart;

/** Which content a part carries. */
export type PartKind = "text" | "raw" | "url" | "data";

/** Names the content of a part, for exhaustive switches without a `kind` field. */
export function partKind(part: Part): PartKind {
  if ("text" in part) return "text";
  if ("raw" in part) return "raw";
  if ("url" in part) return "url";
  return "data";
}

export function isTextPart(part: Part): part is TextPart {
  return "text" in part && typeof part.text === "string";
}
export function isDataPart(part: Part): part is DataPart {
  return "data" in part;
}
