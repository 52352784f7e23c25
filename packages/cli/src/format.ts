import type { Part, StreamResponse, Task, TaskState } from "@a2a/client";

/** `TASK_STATE_INPUT_REQUIRED` → `input-required`. */
export function shortState(state: TaskState | undefined): string {
  return state === undefined ? "unknown" : state.replace(/^TASK_STATE_/, "").toLowerCase().replaceAll("_", "-");
}

/** A plain-text table: columns padded to their widest cell, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** One part for a terminal: text as is, data as indented JSON, a file as a one-line note. */
export function formatPart(part: Part): string {
  if ("text" in part && typeof part.text === "string") return part.text;
  if ("data" in part) return JSON.stringify((part as { data: unknown }).data, null, 2);
  const file = part as { url?: string; raw?: string; filename?: string; mediaType?: string };
  const name = file.filename ?? "file";
  const where = file.url ?? (file.raw === undefined ? "" : `${file.raw.length} base64 characters`);
  return `[${name}${file.mediaType ? ` (${file.mediaType})` : ""}${where ? `: ${where}` : ""}]`;
}

export function formatParts(parts: readonly Part[]): string {
  return parts.map(formatPart).join("\n");
}

/**
 * One line (or a few) per stream event, as `a2a stream` prints them. `artifactNames`
 * remembers names across events, as later chunks of an artifact carry only its id.
 */
export function formatEvent(event: StreamResponse, artifactNames = new Map<string, string>()): string {
  if ("task" in event) {
    const t = event.task;
    return `task ${t.id} ${shortState(t.status.state)} (context ${t.contextId})`;
  }
  if ("message" in event) return `message: ${formatParts(event.message.parts)}`;
  if ("statusUpdate" in event) {
    const s = event.statusUpdate.status;
    const text = s.message ? formatParts(s.message.parts) : "";
    return `status ${shortState(s.state)}${text ? `: ${text}` : ""}`;
  }
  const a = event.artifactUpdate;
  if (a.artifact.name !== undefined) artifactNames.set(a.artifact.artifactId, a.artifact.name);
  const name = artifactNames.get(a.artifact.artifactId) ?? a.artifact.artifactId;
  const flags = [a.append ? "append" : "", a.lastChunk ? "last" : ""].filter(Boolean).join(", ");
  return `artifact ${name}${flags ? ` (${flags})` : ""}: ${formatParts(a.artifact.parts)}`;
}

/**
 * The answer in a task for a terminal: each artifact on lines of its own, its text
 * chunks (streamed with `append`) run together; without artifacts, the status message.
 */
export function formatAnswer(task: Task): string {
  const artifacts = (task.artifacts ?? []).filter((a) => a.parts.length > 0);
  if (artifacts.length === 0) return formatParts(task.status.message?.parts ?? []);
  return artifacts.map((a) => formatArtifactParts(a.parts)).join("\n");
}

/** Consecutive text parts concatenated (they are chunks of one text), other parts on lines of their own. */
function formatArtifactParts(parts: readonly Part[]): string {
  const lines: string[] = [];
  let text: string | undefined;
  for (const part of parts) {
    if ("text" in part && typeof part.text === "string") {
      text = (text ?? "") + part.text;
      continue;
    }
    if (text !== undefined) lines.push(text);
    text = undefined;
    lines.push(formatPart(part));
  }
  if (text !== undefined) lines.push(text);
  return lines.join("\n");
}

/** A short description of a task for `task get` and `task cancel`. */
export function formatTask(task: Task): string {
  const lines = [
    `task     ${task.id}`,
    `state    ${shortState(task.status.state)}`,
    `context  ${task.contextId}`,
    ...(task.status.timestamp ? [`updated  ${task.status.timestamp}`] : []),
  ];
  const answer = formatAnswer(task);
  return `${lines.join("\n")}\n${answer ? `\n${answer}\n` : ""}`;
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
