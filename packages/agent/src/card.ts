import {
  discoveryCardFromAgentCard,
  mqttAgentUrl,
  type AgentCard,
  type AgentExtension,
  type AgentProvider,
  type AgentSkill,
  type SecurityRequirement,
  type SecurityScheme,
} from "@a2a/schema";
import { BINDING_URI, LEGACY_PROTOCOL_VERSION, PROTOCOL_VERSION } from "@a2a/transport/binding";
import type { RegisteredSkill } from "./skill.js";

/** The parts of an Agent Card an agent's options decide. */
export interface CardOptions {
  orgId: string;
  agentId: string;
  name: string;
  description: string;
  /** @default "1.0.0" */
  version?: string;
  provider?: AgentProvider;
  documentationUrl?: string;
  iconUrl?: string;
  /** @default ["text/plain", "application/json"] */
  defaultInputModes?: string[];
  /** @default ["text/plain", "application/json"] */
  defaultOutputModes?: string[];
  /**
   * Serve SendStreamingMessage and SubscribeToTask; when false they are answered -32004.
   * @default true
   */
  streaming?: boolean;
  /**
   * Declare push notifications (webhooks); when false the push config operations
   * are answered -32003.
   * @default false
   */
  pushNotifications?: boolean;
  /**
   * Declare an extended agent card; when false GetExtendedAgentCard is answered -32004,
   * when true without a card configured -32007.
   * @default false
   */
  extendedAgentCard?: boolean;
  /**
   * Extensions declared in `capabilities.extensions`. A request that does not list an
   * extension marked `required: true` in its `A2A-Extensions` service parameter is
   * answered -32008.
   */
  extensions?: AgentExtension[];
  /** How clients authenticate (A2A `securitySchemes`), e.g. `{ bearer: { httpAuthSecurityScheme: { scheme: "Bearer" } } }`. */
  securitySchemes?: Record<string, SecurityScheme>;
  /** What every operation needs (A2A `securityRequirements`: one of them must hold); skills may add their own. */
  securityRequirements?: SecurityRequirement[];
}

const MODES = ["text/plain", "application/json"];

/**
 * The retained discovery card: the full A2A v1.0 card (MQTT interface, streaming,
 * skills with tags) plus the seed's `protocolVersion`, `url` and `preferredTransport`.
 */
export function buildAgentCard(options: CardOptions, skills: Iterable<RegisteredSkill>): AgentCard {
  const ids = { orgId: options.orgId, agentId: options.agentId };
  const card: AgentCard = {
    name: options.name,
    description: options.description,
    // The same binding serves A2A 0.3 requests in 0.3 form (docs/binding.md section 4.2).
    supportedInterfaces: [
      { url: mqttAgentUrl(ids), protocolBinding: BINDING_URI, protocolVersion: PROTOCOL_VERSION },
      { url: mqttAgentUrl(ids), protocolBinding: BINDING_URI, protocolVersion: LEGACY_PROTOCOL_VERSION },
    ],
    version: options.version ?? "1.0.0",
    capabilities: {
      streaming: options.streaming ?? true,
      pushNotifications: options.pushNotifications ?? false,
      extendedAgentCard: options.extendedAgentCard ?? false,
    },
    defaultInputModes: options.defaultInputModes ?? [...MODES],
    defaultOutputModes: options.defaultOutputModes ?? [...MODES],
    skills: [...skills].map(cardSkill),
  };
  if (options.extensions !== undefined && options.extensions.length > 0) card.capabilities.extensions = options.extensions.map((e) => ({ ...e }));
  if (options.provider !== undefined) card.provider = options.provider;
  if (options.documentationUrl !== undefined) card.documentationUrl = options.documentationUrl;
  if (options.iconUrl !== undefined) card.iconUrl = options.iconUrl;
  if (options.securitySchemes !== undefined) card.securitySchemes = structuredClone(options.securitySchemes);
  if (options.securityRequirements !== undefined) card.securityRequirements = structuredClone(options.securityRequirements);
  return discoveryCardFromAgentCard(card, ids);
}

function cardSkill(skill: RegisteredSkill): AgentSkill {
  const out: AgentSkill = { id: skill.id, name: skill.name, description: skill.description, tags: skill.tags };
  if (skill.examples !== undefined) out.examples = skill.examples;
  if (skill.inputModes !== undefined) out.inputModes = skill.inputModes;
  if (skill.outputModes !== undefined) out.outputModes = skill.outputModes;
  if (skill.securityRequirements !== undefined) out.securityRequirements = skill.securityRequirements;
  return out;
}

/**
 * `card` as announced on the broker: the MQTT interface of `org/agent` first, the card's
 * own interfaces (HTTP) kept after it, plus the seed's top-level members.
 */
export function withMqttInterface(card: AgentCard, ids: { orgId: string; agentId: string }): AgentCard {
  const url = mqttAgentUrl(ids);
  const others = (card.supportedInterfaces ?? []).filter((i) => !(i.protocolBinding === BINDING_URI && i.url === url));
  // The agent's intake serves 0.3 requests in 0.3 form whatever serves the operations.
  const mqtt = [PROTOCOL_VERSION, LEGACY_PROTOCOL_VERSION].map((protocolVersion) => ({ url, protocolBinding: BINDING_URI, protocolVersion }));
  return discoveryCardFromAgentCard({ ...card, supportedInterfaces: [...mqtt, ...others] }, ids);
}
