import { z } from "zod";
import { normalizeAgentCard, normalizeSkill } from "./normalize-card-v03.js";
import { MetadataSchema, nonEmptyArray, NonEmptyStringSchema } from "./primitives.js";
import { SecurityRequirementSchema, SecuritySchemeSchema } from "./security.js";

/** Where and how the agent is reached. */
export const AgentInterfaceSchema = z.object({
  url: NonEmptyStringSchema,
  protocolBinding: NonEmptyStringSchema,
  protocolVersion: NonEmptyStringSchema,
  tenant: z.string().optional(),
});
export type AgentInterface = z.output<typeof AgentInterfaceSchema>;

export const AgentExtensionSchema = z.object({
  uri: NonEmptyStringSchema,
  description: z.string().optional(),
  required: z.boolean().optional(),
  params: MetadataSchema.optional(),
});
export type AgentExtension = z.output<typeof AgentExtensionSchema>;

export const AgentCapabilitiesSchema = z.object({
  streaming: z.boolean().optional(),
  pushNotifications: z.boolean().optional(),
  extensions: z.array(AgentExtensionSchema).optional(),
  extendedAgentCard: z.boolean().optional(),
});
export type AgentCapabilities = z.output<typeof AgentCapabilitiesSchema>;

export const AgentSkillSchema = z.preprocess(
  normalizeSkill,
  z.object({
    id: NonEmptyStringSchema,
    name: NonEmptyStringSchema,
    description: z.string(),
    tags: nonEmptyArray(z.string()),
    examples: z.array(z.string()).optional(),
    inputModes: z.array(z.string()).optional(),
    outputModes: z.array(z.string()).optional(),
    securityRequirements: z.array(SecurityRequirementSchema).optional(),
  }),
);
export type AgentSkill = z.output<typeof AgentSkillSchema>;

export const AgentProviderSchema = z.object({ url: NonEmptyStringSchema, organization: NonEmptyStringSchema });
export type AgentProvider = z.output<typeof AgentProviderSchema>;

/** A JWS (RFC 7515, JSON serialisation) over the card. */
export const AgentCardSignatureSchema = z.object({
  protected: NonEmptyStringSchema,
  signature: NonEmptyStringSchema,
  header: MetadataSchema.optional(),
});
export type AgentCardSignature = z.output<typeof AgentCardSignatureSchema>;

/**
 * The agent's self-description (A2A 1.0). Also carries the seed's top-level
 * `protocolVersion`, `url` and `preferredTransport`, which retained discovery cards
 * have alongside the 1.0 fields. A 0.3 card (`url` + `preferredTransport`,
 * `additionalInterfaces`, `security`) is normalised to 1.0.
 */
export const AgentCardSchema = z.preprocess(
  normalizeAgentCard,
  z.object({
    name: NonEmptyStringSchema,
    description: z.string(),
    supportedInterfaces: nonEmptyArray(AgentInterfaceSchema),
    version: z.string(),
    capabilities: AgentCapabilitiesSchema,
    defaultInputModes: nonEmptyArray(z.string()),
    defaultOutputModes: nonEmptyArray(z.string()),
    skills: nonEmptyArray(AgentSkillSchema),
    provider: AgentProviderSchema.optional(),
    documentationUrl: z.string().optional(),
    iconUrl: z.string().optional(),
    securitySchemes: z.record(z.string(), SecuritySchemeSchema).optional(),
    securityRequirements: z.array(SecurityRequirementSchema).optional(),
    signatures: z.array(AgentCardSignatureSchema).optional(),
    protocolVersion: z.string().optional(),
    url: z.string().optional(),
    preferredTransport: z.string().optional(),
  }),
);
export type AgentCard = z.output<typeof AgentCardSchema>;
