import type { PublishOptions, PublishResult, Transport } from "@a2a/transport";
import type { EmqxAgentHooks, EmqxReplyPublication } from "./emqx-options.js";
import type { EmqxRequests } from "./emqx-requests.js";

/**
 * The transport the profile's replies go out on: the profile connection, with the
 * hooks' user properties added to each reply of a request and `transformReply` applied
 * (e.g. native binary artifact chunks). Everything else is the connection's own.
 */
export function emqxReplyTransport(inner: Transport, requests: EmqxRequests, hooks: EmqxAgentHooks): Transport {
  if (hooks.replyProperties === undefined && hooks.transformReply === undefined) return inner;
  const publish = async (topic: string, payload: Uint8Array | string, options: PublishOptions = {}): Promise<PublishResult> => {
    const state = requests.byTopic(topic, options.properties?.correlationData);
    if (state === undefined) return inner.publish(topic, payload, options);
    const extra = hooks.replyProperties?.(state.request);
    const properties = { ...options.properties };
    // Never an empty map: mqtt-packet cannot encode one.
    if (extra !== undefined && Object.keys(extra).length > 0) properties.userProperties = { ...properties.userProperties, ...extra };
    const reply: EmqxReplyPublication = { payload, properties };
    const publications = hooks.transformReply === undefined ? [reply] : await hooks.transformReply(state.request, reply);
    // Handed to the connection at once, in order: one connection keeps the order of what it
    // is given, whereas awaiting each acknowledgement would let the stream's next items (the
    // dispatcher does not wait for each one) overtake the rest of these.
    const sent = publications.map((publication) => inner.publish(topic, publication.payload, { ...options, properties: publication.properties }));
    const results = await Promise.all(sent);
    return results.at(-1) ?? {};
  };
  return {
    get clientId() {
      return inner.clientId;
    },
    get state() {
      return inner.state;
    },
    get capabilities() {
      return inner.capabilities;
    },
    connect: (options) => inner.connect(options),
    close: () => inner.close(),
    publish,
    subscribe: (filter, handler, options) => inner.subscribe(filter, handler, options),
    stream: (filter, options) => inner.stream(filter, options),
    on: (event, listener) => inner.on(event, listener),
  };
}
