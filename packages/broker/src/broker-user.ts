/** What a user may do; see `aclRulesFor` for the exact topics. */
export type BrokerRole = "agent" | "client" | "admin";

/**
 * One entry of the users list (or users file) of `createBroker` and `toMosquittoConfig`.
 * A user without `passwordHash` can only log in with a TLS client certificate whose
 * common name (CN) is `username`.
 */
export interface BrokerUser {
  /** Login name, or the CN of a client certificate. For an agent, `org/agent` names it. */
  username: string;
  role: BrokerRole;
  /** Agents only: the org id; taken from a `org/agent` username when absent. */
  org?: string;
  /** Agents only: the agent id; taken from a `org/agent` username when absent. */
  agent?: string;
  /**
   * Agents only: the agent also calls other agents (an orchestrator) on its one
   * connection, so it gets a client's rights as well: send to any agent's tasks topic,
   * read `discovery/#` and read its own replies on `replies/{username}/#`. Its username
   * is therefore one topic level (give `org` and `agent`, e.g. username
   * `"acme.planner"`), and it connects with its username as MQTT client id, like a client.
   * @default false
   */
  canCall?: boolean;
  /** For the embedded broker: made by `hashPassword`. */
  passwordHash?: string;
  /** For mosquitto's password file: made by `hashMosquittoPassword` ("$7$..."). */
  mosquittoPasswordHash?: string;
}

/** A user after validation, with the agent identity resolved. */
export type ResolvedUser =
  | (BrokerUser & { role: "agent"; org: string; agent: string })
  | (BrokerUser & { role: "client" | "admin" });
