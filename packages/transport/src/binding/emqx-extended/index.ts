/** Extended conformance of the EMQX A2A-over-MQTT profile: the wire pieces agents and clients share. */
export * from "./binary-artifact.js";
export * from "./jwks-uri-policy.js";
export * from "./bearer-token.js";
