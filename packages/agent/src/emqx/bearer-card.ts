import type { SecurityRequirement, SecurityScheme } from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import { insecureTokenRefusal } from "@a2a/transport/binding";
import type { CardOptions } from "../card.js";
import type { BearerAuthOptions } from "./bearer-auth.js";

/**
 * What a card must say when the agent requires bearer tokens: the scheme (HTTP Bearer,
 * JWT) and that every operation needs it, unless the options already declare them.
 */
export function bearerCardOptions(options: CardOptions & { bearerAuth?: BearerAuthOptions | undefined }): Partial<CardOptions> {
  const auth = options.bearerAuth;
  if (auth === undefined) return {};
  const scheme = auth.scheme ?? "bearer";
  const securitySchemes: Record<string, SecurityScheme> = options.securitySchemes ?? {
    [scheme]: { httpAuthSecurityScheme: { scheme: "Bearer", bearerFormat: "JWT", description: "OAuth 2.0 access token in the a2a-authorization user property" } },
  };
  const securityRequirements: SecurityRequirement[] = options.securityRequirements ?? [{ schemes: { [scheme]: { list: [] } } }];
  return { securitySchemes, securityRequirements };
}

/** Throws before connecting when tokens would be accepted over a broker URL without TLS. */
export function assertTokensOverTls(brokers: readonly (string | Transport | undefined)[], auth: BearerAuthOptions | undefined): void {
  if (auth === undefined) return;
  for (const broker of brokers) {
    if (typeof broker !== "string") continue;
    const refusal = insecureTokenRefusal(broker, auth.allowInsecureTokens);
    if (refusal !== undefined) throw new Error(`bearerAuth: ${refusal}`);
  }
}
