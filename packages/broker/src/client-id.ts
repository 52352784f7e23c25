import type { ResolvedUser } from "./broker-user.js";

/**
 * Which MQTT client ids a user may connect with. A client id names a session: whoever
 * connects with it takes the session over, disconnecting its owner and (with a clean
 * start) discarding the requests queued for it. So each id belongs to one user:
 * - a client, and an agent with `canCall`: its username, which is also its inbox
 *   `replies/{username}/...`;
 * - an agent: its agent's client id `a2a-agent.{org}.{agent}` (the default of
 *   `A2AAgent`), or `a2a-agent.{org}.{agent}/{instance}` for one instance of a pool
 *   (`/` cannot occur in org or agent ids, so no other agent's id has this form);
 * - an admin: any id.
 */
export function agentClientId(org: string, agent: string): string {
  return `a2a-agent.${org}.${agent}`;
}

/** Why `user` may not connect as `clientId`, or undefined when it may. */
export function clientIdProblem(user: ResolvedUser, clientId: string): string | undefined {
  if (user.role === "admin") return undefined;
  if (user.role !== "agent" || user.canCall) {
    if (clientId === user.username) return undefined;
    const who = user.role === "client" ? "a client" : "an agent with canCall";
    return `${who} must connect with its username as client id, got ${JSON.stringify(clientId)}`;
  }
  const own = agentClientId(user.org, user.agent);
  if (clientId === own) return undefined;
  if (clientId.startsWith(`${own}/`) && clientId.length > own.length + 1 && !clientId.slice(own.length + 1).includes("/")) return undefined;
  return `agent ${user.org}/${user.agent} must connect with its own client id ${JSON.stringify(own)} (or ${JSON.stringify(`${own}/{instance}`)}), got ${JSON.stringify(clientId)}`;
}

/**
 * Two users whose client ids would collide (e.g. agents `a.b/c` and `a/b.c`, or a client
 * called `a2a-agent.acme.echo`) could take over each other's sessions: refused upfront.
 * Returns a description of the first collision, or undefined.
 */
export function clientIdCollision(users: Iterable<ResolvedUser>): string | undefined {
  const owners = new Map<string, string>();
  for (const user of users) {
    if (user.role === "admin") continue;
    const plainAgent = user.role === "agent" && !user.canCall;
    const id = plainAgent ? agentClientId(user.org, user.agent) : user.username;
    const owner = plainAgent ? `agent ${user.org}/${user.agent}` : `user ${JSON.stringify(user.username)}`;
    const previous = owners.get(id);
    if (previous !== undefined && previous !== owner) return `${previous} and ${owner} would both connect as client id ${JSON.stringify(id)}`;
    owners.set(id, owner);
  }
  return undefined;
}
