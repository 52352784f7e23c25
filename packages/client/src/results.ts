import type { Artifact, Message, Part, SendMessageResult, StreamResponse, Task } from "@a2a/schema";

/** Anything a call returns that may hold content. */
export type ResultLike = SendMessageResult | StreamResponse | Task | Message | undefined;

/** The task in a result (`{ task }`, a Task, or a stream event's task), if any. */
export function taskOf(result: ResultLike): Task | undefined {
  if (result === undefined) return undefined;
  if ("task" in result) return result.task;
  if ("id" in result && "status" in result) return result;
  return undefined;
}

/** The message in a result (`{ message }` or a Message), if any. */
export function messageOf(result: ResultLike): Message | undefined {
  if (result === undefined) return undefined;
  if ("message" in result) return result.message;
  if ("messageId" in result) return result;
  return undefined;
}

/**
 * The parts that make up a result's answer, in order: a task's artifacts (or, without
 * artifacts, its status message); a message's parts; a stream event's artifact or status
 * message.
 */
export function partsOf(result: ResultLike): Part[] {
  if (result === undefined) return [];
  if ("artifactUpdate" in result) return result.artifactUpdate.artifact.parts;
  if ("statusUpdate" in result) return result.statusUpdate.status.message?.parts ?? [];
  const task = taskOf(result);
  if (task) {
    const fromArtifacts = (task.artifacts ?? []).flatMap((a: Artifact) => a.parts);
    return fromArtifacts.length > 0 ? fromArtifacts : (task.status.message?.parts ?? []);
  }
  return messageOf(result)?.parts ?? [];
}

const textsOf = (parts: readonly Part[]): string[] => parts.flatMap((p) => ("text" in p && typeof p.text === "string" ? [p.text] : []));

/**
 * The text of a result ("" when it has none). The text parts of one artifact are the
 * chunks it was streamed in (`append`), so they are concatenated; artifacts, and the
 * parts of a message, are joined with newlines.
 * @example textOf(await client.sendMessage("org/echo", params)) // "Echo: hi"
 */
export function textOf(result: ResultLike): string {
  if (result !== undefined && "artifactUpdate" in result) return textsOf(result.artifactUpdate.artifact.parts).join("");
  const artifacts = taskOf(result)?.artifacts ?? [];
  if (artifacts.some((a) => a.parts.length > 0)) {
    return artifacts
      .map((a) => textsOf(a.parts).join(""))
      .filter((text) => text !== "")
      .join("\n");
  }
  return textsOf(partsOf(result)).join("\n");
}

/** The first data part's value in a result, or undefined. */
export function dataOf<T = unknown>(result: ResultLike): T | undefined {
  const part = partsOf(result).find((p) => "data" in p);
  return part === undefined ? undefined : ((part as { data: unknown }).data as T);
}

/** The task state of a result, or undefined for a plain message. */
export function stateOf(result: ResultLike): Task["status"]["state"] | undefined {
  if (result !== undefined && "statusUpdate" in result) return result.statusUpdate.status.state;
  return taskOf(result)?.status.state;
}
