import { discoveryCardFromAgentCard, mqttAgentUrl, type AgentCard, type AgentProvider, type AgentSkill } from "@a2a/schema";
import { BINDING_URI, PROTOCOL_VERSION } from "@a2a/transport/binding";
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
    supportedInterfaces: [{ url: mqttAgentUrl(ids), protocolBinding: BINDING_URI, protocolVersion: PROTOCOL_VERSION }],
    version: options.version ?? "1.0.0",
    capabilities: { streaming: true, pushNotifications: false, extendedAgentCard: false },
    defaultInputModes: options.defaultInputModes ?? [...MODES],
    defaultOutputModes: options.defaultOutputModes ?? [...MODES],
    skills: [...skills].map(cardSkill),
  };
  if (options.provider !== undefined) card.provider = options.provider;
  if (options.documentationUrl !== undefined) card.documentationUrl = options.documentationUrl;
  if (options.iconUrl !== undefined) card.iconUrl = options.iconUrl;
  return discoveryCardFromAgentCard(card, ids);
}

function cardSkill(skill: RegisteredSkill): AgentSkill {
  const out: AgentSkill = { id: skill.id, name: skill.name, description: skill.description, tags: skill.tags };
  if (skill.examples !== undefined) out.examples = skill.examples;
  if (skill.inputModes !== undefined) out.inputModes = skill.inputModes;
  if (skill.outputModes !== undefined) out.outputModes = skill.outputModes;
  return out;
}
