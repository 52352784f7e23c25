import type { Aedes, AedesPublishPacket, Client, PublishPacket, Subscription } from "aedes";
import { mayPublish, maySubscribe, mayReceive, type AclRule } from "./acl-policy.js";
import { describeClient, type BrokerLogger } from "./log.js";
import type { ResolvedUser } from "./users.js";

export interface AuthorizerOptions {
  identities: WeakMap<Client, ResolvedUser>;
  rulesOf: (user: ResolvedUser) => readonly AclRule[];
  log: BrokerLogger;
}

/**
 * Installs the ACL on an aedes instance (before `listen()`).
 *
 * Forbidden SUBSCRIBEs are answered with SUBACK 0x80. Forbidden PUBLISHes are
 * acknowledged and dropped, as mosquitto does: aedes would otherwise close the
 * connection, and a client that retries after reconnecting would loop forever. Every
 * message is also checked against the receiver's read rules before delivery, so a deny
 * rule inside a granted wildcard (and any retained message) is honoured.
 */
export function installAuthorizer(broker: Aedes, options: AuthorizerOptions): void {
  const { identities, rulesOf, log } = options;
  const dropped = new WeakSet<object>();
  const username = (client: Client) => identities.get(client)?.username;

  broker.authorizePublish = (client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void) => {
    // No client: the will of a session from before a broker restart; wills are checked
    // when the client connects (see checkWill), so it was allowed then.
    const user = client ? identities.get(client) : undefined;
    if (client && (!user || !mayPublish(rulesOf(user), packet.topic))) {
      dropped.add(packet);
      const who = describeClient(client.id, username(client));
      const message = `[a2a-broker] denied PUBLISH by ${who} to ${JSON.stringify(packet.topic)}: not allowed for role ${user?.role ?? "unknown"}; the message was dropped.`;
      log({ kind: "publish-denied", clientId: client.id, username: user?.username, topic: packet.topic, will: false, message });
    }
    callback(null);
  };

  // aedes calls publish(packet, client, done) right after a granted authorizePublish;
  // a packet marked above ends here, acknowledged but never routed or retained.
  type InternalPublish = (packet: PublishPacket, client: Client | null | ((error?: Error) => void), done?: (error?: Error) => void) => void;
  const target = broker as unknown as { publish: InternalPublish };
  const publish = target.publish.bind(broker);
  target.publish = (packet, client, done) => {
    if (typeof client !== "function" && dropped.has(packet)) {
      done?.();
      return;
    }
    publish(packet, client, done);
  };

  broker.authorizeSubscribe = (client: Client, subscription: Subscription, callback: (error: Error | null, subscription?: Subscription | null) => void) => {
    const user = identities.get(client);
    if (user && maySubscribe(rulesOf(user), subscription.topic)) {
      callback(null, subscription);
      return;
    }
    const message = `[a2a-broker] denied SUBSCRIBE by ${describeClient(client.id, user?.username)} to ${JSON.stringify(subscription.topic)}: not allowed for role ${user?.role ?? "unknown"}.`;
    log({ kind: "subscribe-denied", clientId: client.id, username: user?.username, topic: subscription.topic, message });
    callback(null, null);
  };

  broker.authorizeForward = (client: Client, packet: AedesPublishPacket) => {
    const user = identities.get(client);
    return user && mayReceive(rulesOf(user), packet.topic) ? packet : null;
  };
}

/**
 * Why a CONNECT's will may not be accepted, or undefined when it may. An agent's will is
 * its own discovery topic (the offline card), which its rules allow.
 */
export function checkWill(rules: readonly AclRule[], will: { topic: string } | undefined | null): string | undefined {
  if (!will) return undefined;
  return mayPublish(rules, will.topic) ? undefined : `its will topic ${JSON.stringify(will.topic)} is not allowed`;
}
