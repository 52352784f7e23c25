import type { Part } from "@a2a/client";
import { h } from "./dom.js";

/** Rows shown of a data table; the JSON view has them all. */
const MAX_TABLE_ROWS = 50;
/** Characters of JSON or text shown before "…" (a huge part must not freeze the page). */
const MAX_TEXT = 20_000;

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)` : text;
}

/** The rows of `data` as a table, when it is one: an array of flat objects, or one flat object. */
function tableOf(data: unknown): { columns: string[]; rows: Array<Record<string, unknown>> } | undefined {
  const rows = Array.isArray(data) ? data : isRecord(data) ? (firstArrayOfRecords(data) ?? [data]) : undefined;
  if (rows === undefined || rows.length === 0 || !rows.every(isRecord)) return undefined;
  const columns = [...new Set(rows.slice(0, MAX_TABLE_ROWS).flatMap((r) => Object.keys(r)))];
  if (columns.length === 0 || columns.length > 12) return undefined;
  return { columns, rows };
}

/** `{ levels: [{...}, ...] }`: the one array of records a data part wraps, if that is all it holds. */
function firstArrayOfRecords(data: Record<string, unknown>): unknown[] | undefined {
  const values = Object.values(data);
  if (values.length === 1 && Array.isArray(values[0]) && values[0].every(isRecord)) return values[0];
  return undefined;
}

function cell(value: unknown): string {
  return clip(isScalar(value) ? String(value) : JSON.stringify(value));
}

function dataView(data: unknown): HTMLElement {
  const table = tableOf(data);
  const json = h("pre", { class: "json" }, clip(JSON.stringify(data, null, 2)));
  if (table === undefined) return json;
  const shown = table.rows.slice(0, MAX_TABLE_ROWS);
  return h(
    "div",
    { class: "data" },
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ...table.columns.map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, ...shown.map((row) => h("tr", {}, ...table.columns.map((c) => h("td", {}, cell(row[c])))))),
      ),
    ),
    table.rows.length > shown.length ? h("p", { class: "muted" }, `${table.rows.length - shown.length} more rows in the JSON`) : undefined,
    h("details", {}, h("summary", {}, "JSON"), json),
  );
}

/** Only links a browser can open safely; anything else is shown as text. */
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return ["http:", "https:"].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function fileView(part: Part & { url?: string; raw?: string }): HTMLElement {
  const name = part.filename ?? (part.url ? part.url.split("/").pop() : undefined) ?? "file";
  const type = part.mediaType ?? "application/octet-stream";
  if (part.url !== undefined) {
    const href = safeHref(part.url);
    return href
      ? h("p", { class: "file" }, "📄 ", h("a", { href, target: "_blank", rel: "noopener noreferrer" }, name), ` (${type})`)
      : h("p", { class: "file" }, `📄 ${name} (${type}): ${part.url}`);
  }
  // Inline bytes become a download link; the media type cannot make the page run them.
  const href = `data:application/octet-stream;base64,${part.raw ?? ""}`;
  const bytes = Math.floor(((part.raw ?? "").length * 3) / 4);
  return h("p", { class: "file" }, "📄 ", h("a", { href, download: name }, name), ` (${type}, ${bytes} bytes)`);
}

export function partView(part: Part): HTMLElement {
  if ("text" in part) return h("p", { class: "text" }, clip(part.text));
  if ("data" in part) return dataView(part.data);
  return fileView(part);
}

export function partsView(parts: readonly Part[]): HTMLElement {
  return h("div", { class: "parts" }, ...parts.map(partView));
}
