/**
 * The EMQX "A2A over MQTT" profile (emqx/mqtt-for-ai), served beside this project's own
 * binding as a second topic scheme: topics, ids, user properties, the error mapping
 * and the requester retry profile. See docs/emqx-profile.md.
 */
export * from "./ids.js";
export * from "./topics.js";
export * from "./constants.js";
export * from "./errors.js";
