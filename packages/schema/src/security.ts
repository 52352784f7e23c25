import { z } from "zod";

const ScopesSchema = z.record(z.string(), z.string());
const opt = z.string().optional();

const OAuthFlowsSchema = z.object({
  authorizationCode: z
    .object({ authorizationUrl: z.string(), tokenUrl: z.string(), refreshUrl: opt, scopes: ScopesSchema, pkceRequired: z.boolean().optional() })
    .optional(),
  clientCredentials: z.object({ tokenUrl: z.string(), refreshUrl: opt, scopes: ScopesSchema }).optional(),
  implicit: z.object({ authorizationUrl: z.string(), refreshUrl: opt, scopes: ScopesSchema }).optional(),
  password: z.object({ tokenUrl: z.string(), refreshUrl: opt, scopes: ScopesSchema }).optional(),
  deviceCode: z
    .object({ deviceAuthorizationUrl: z.string(), tokenUrl: z.string(), refreshUrl: opt, scopes: ScopesSchema })
    .optional(),
});

const SCHEME_KEYS = [
  "apiKeySecurityScheme",
  "httpAuthSecurityScheme",
  "oauth2SecurityScheme",
  "openIdConnectSecurityScheme",
  "mtlsSecurityScheme",
] as const;

/** How a client authenticates: exactly one of the five scheme kinds (1.0 oneof). */
export const SecuritySchemeSchema = z
  .object({
    apiKeySecurityScheme: z
      .object({ description: opt, location: z.enum(["query", "header", "cookie"]), name: z.string() })
      .optional(),
    httpAuthSecurityScheme: z.object({ description: opt, scheme: z.string(), bearerFormat: opt }).optional(),
    oauth2SecurityScheme: z.object({ description: opt, flows: OAuthFlowsSchema, oauth2MetadataUrl: opt }).optional(),
    openIdConnectSecurityScheme: z.object({ description: opt, openIdConnectUrl: z.string() }).optional(),
    mtlsSecurityScheme: z.object({ description: opt }).optional(),
  })
  .superRefine((v, ctx) => {
    const present = SCHEME_KEYS.filter((k) => v[k] !== undefined);
    if (present.length !== 1) ctx.addIssue({ code: "custom", message: `must have exactly one of ${SCHEME_KEYS.join(", ")}` });
  });
export type SecurityScheme = z.output<typeof SecuritySchemeSchema>;

/** Scheme name → required scopes; all entries of one requirement apply together. */
export const SecurityRequirementSchema = z.object({
  schemes: z.record(z.string(), z.object({ list: z.array(z.string()).optional() })),
});
export type SecurityRequirement = z.output<typeof SecurityRequirementSchema>;
