// A2A 0.3 agent cards → 1.0. Only applied when the 0.3 field is present and its
// 1.0 counterpart is not, so a 1.0 card passes through unchanged.
import { isPlainObject } from "./normalize-v03.js";

type Obj = Record<string, unknown>;

/** 0.3 `security: [{scheme: [scopes]}]` → 1.0 `[{schemes: {scheme: {list: scopes}}}]`. */
function securityRequirementsV03(security: unknown): unknown {
  if (!Array.isArray(security)) return security;
  return (security as unknown[]).map((req) => {
    if (!isPlainObject(req) || "schemes" in req) return req;
    const schemes: Obj = {};
    for (const [name, scopes] of Object.entries(req)) schemes[name] = { list: scopes };
    return { schemes };
  });
}

/** 0.3 OpenAPI-style `{type: "apiKey", in, name}` schemes → the 1.0 oneof. */
function securitySchemeV03(s: unknown): unknown {
  if (!isPlainObject(s) || typeof s["type"] !== "string") return s;
  const { type, ...rest } = s;
  switch (type) {
    case "apiKey": {
      const { in: location, ...other } = rest;
      return { apiKeySecurityScheme: { ...other, location } };
    }
    case "http":
      return { httpAuthSecurityScheme: rest };
    case "oauth2":
      return { oauth2SecurityScheme: rest };
    case "openIdConnect":
      return { openIdConnectSecurityScheme: rest };
    case "mutualTLS":
      return { mtlsSecurityScheme: rest };
    default:
      return s;
  }
}

export function normalizeSkill(v: unknown): unknown {
  if (!isPlainObject(v) || !("security" in v) || "securityRequirements" in v) return v;
  const { security, ...rest } = v;
  return { ...rest, securityRequirements: securityRequirementsV03(security) };
}

export function normalizeAgentCard(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const o: Obj = { ...v };
  if (o["supportedInterfaces"] === undefined && typeof o["url"] === "string") {
    const protocolVersion = typeof o["protocolVersion"] === "string" ? o["protocolVersion"] : "0.3";
    const main = { url: o["url"], protocolBinding: o["preferredTransport"] ?? "JSONRPC", protocolVersion };
    const extra = Array.isArray(o["additionalInterfaces"]) ? o["additionalInterfaces"] : [];
    const others = extra
      .filter(isPlainObject)
      .map((i) => ({ url: i["url"], protocolBinding: i["transport"], protocolVersion }))
      .filter((i) => !(i.url === main.url && i.protocolBinding === main.protocolBinding));
    o["supportedInterfaces"] = [main, ...others];
  }
  delete o["additionalInterfaces"];
  for (const key of ["supportsAuthenticatedExtendedCard", "supportsExtendedAgentCard"]) {
    if (!(key in o)) continue;
    const flag = o[key];
    delete o[key];
    const caps = o["capabilities"];
    if (isPlainObject(caps) && caps["extendedAgentCard"] === undefined) {
      o["capabilities"] = { ...caps, extendedAgentCard: flag };
    }
  }
  if ("security" in o) {
    if (o["securityRequirements"] === undefined) o["securityRequirements"] = securityRequirementsV03(o["security"]);
    delete o["security"];
  }
  const schemes = o["securitySchemes"];
  if (isPlainObject(schemes)) {
    o["securitySchemes"] = Object.fromEntries(Object.entries(schemes).map(([k, s]) => [k, securitySchemeV03(s)]));
  }
  return o;
}
