import { A2AProtocolError, type A2AMethod, type AgentCard, type Part } from "@a2a/schema";
import { requestedExtensions, type ServiceParams } from "@a2a/transport/binding";
import type { RegisteredSkill } from "./skill.js";

const STREAMING_METHODS: ReadonlySet<A2AMethod> = new Set(["SendStreamingMessage", "SubscribeToTask"]);
const PUSH_METHODS: ReadonlySet<A2AMethod> = new Set([
  "CreateTaskPushNotificationConfig",
  "GetTaskPushNotificationConfig",
  "ListTaskPushNotificationConfigs",
  "DeleteTaskPushNotificationConfig",
]);

/**
 * The capability rules of the A2A specification (section 3.3.4) that depend only on the
 * card and the request's service parameters: a required extension the request does not
 * list → -32008; streaming without the capability → -32004; push configs without the
 * capability → -32003. Undefined when the request may proceed.
 */
export function checkCapabilities(method: A2AMethod, card: AgentCard, serviceParams: ServiceParams): A2AProtocolError | undefined {
  const extensions = card.capabilities.extensions;
  const required = extensions === undefined || extensions.length === 0 ? [] : extensions.filter((e) => e.required === true).map((e) => e.uri);
  if (required.length > 0) {
    const listed = new Set(requestedExtensions(serviceParams));
    const missing = required.filter((uri) => !listed.has(uri));
    if (missing.length > 0) return A2AProtocolError.extensionSupportRequired(missing);
  }
  if (STREAMING_METHODS.has(method) && card.capabilities.streaming !== true) {
    return A2AProtocolError.unsupportedOperation(`this agent does not declare streaming; use ${method === "SubscribeToTask" ? "GetTask" : "SendMessage"}`);
  }
  if (PUSH_METHODS.has(method) && card.capabilities.pushNotifications !== true) return A2AProtocolError.pushNotificationNotSupported();
  return undefined;
}

/** The media type of a part: its `mediaType`, else text/plain for text and application/json for data. */
export function partMediaType(part: Part): string | undefined {
  if (part.mediaType !== undefined && part.mediaType !== "") return part.mediaType;
  if ("text" in part) return "text/plain";
  if ("data" in part) return "application/json";
  return undefined;
}

/** `type/subtype` in lower case without parameters. */
function essence(mediaType: string): string {
  return (mediaType.split(";")[0] ?? "").trim().toLowerCase();
}

/** True when `mediaType` is matched by one of `modes` (`*\/*` and `type/*` are wildcards). */
export function mediaTypeAccepted(mediaType: string, modes: readonly string[]): boolean {
  // The common case, without normalising every mode of the card for every part.
  if (modes.includes(mediaType)) return true;
  const wanted = essence(mediaType);
  const type = wanted.split("/")[0];
  return modes.some((mode) => {
    const m = essence(mode);
    return m === wanted || m === "*/*" || m === "*" || (m.endsWith("/*") && m.slice(0, -2) === type);
  });
}

/** A message to a skill, as {@link checkContentTypes} negotiates it. */
export interface ContentTypeCheck {
  card: AgentCard;
  skill: Pick<RegisteredSkill, "id" | "inputModes" | "outputModes">;
  /** The message's parts. */
  parts: readonly Part[];
  /** The request's `configuration.acceptedOutputModes`. */
  acceptedOutputModes?: readonly string[] | undefined;
}

/**
 * Content negotiation for a message to a skill (-32005 when it fails):
 * - every part's media type (see {@link partMediaType}; file parts without one are not
 *   checked) must be one of the skill's `inputModes`, else the card's `defaultInputModes`;
 * - when `acceptedOutputModes` is non-empty, at least one of the skill's `outputModes`
 *   (else the card's `defaultOutputModes`) must be among them.
 */
export function checkContentTypes(check: ContentTypeCheck): A2AProtocolError | undefined {
  const { card, skill, parts, acceptedOutputModes } = check;
  const inputModes = skill.inputModes ?? card.defaultInputModes;
  for (const part of parts) {
    const type = partMediaType(part);
    if (type !== undefined && !mediaTypeAccepted(type, inputModes)) {
      return A2AProtocolError.contentTypeNotSupported(`skill ${skill.id} accepts ${inputModes.join(", ")}; the message has a part of type ${type}`);
    }
  }
  if (acceptedOutputModes !== undefined && acceptedOutputModes.length > 0) {
    const outputModes = skill.outputModes ?? card.defaultOutputModes;
    if (!outputModes.some((mode) => mediaTypeAccepted(mode, acceptedOutputModes))) {
      return A2AProtocolError.contentTypeNotSupported(
        `skill ${skill.id} produces ${outputModes.join(", ")}; none of them is in acceptedOutputModes (${acceptedOutputModes.join(", ")})`,
      );
    }
  }
  return undefined;
}
