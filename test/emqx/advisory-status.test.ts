// Broker-managed status (a2a-status, a2a-status-source) read as advisory, and the
// trusted JWKS URI policy for cards, on the profile's discovery topics (mosquitto).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, textOf } from "@a2a/client";
import { JWKS_EXTENSION_URI, JwksUriPolicy, cardJwksRefusal } from "@a2a/transport/binding";
import { requireMosquitto, startMosquitto, type MosquittoHandle } from "@a2a/testing";

function card(name: string, extensions: unknown[] = []) {
  return {
    name,
    description: name,
    version: "1.0.0",
    supportedInterfaces: [{ url: `mqtt://acme/plant1/${name}`, protocolBinding: "MQTTv5+JSONRPCv2", protocolVersion: "1.0" }],
    capabilities: { streaming: true, extensions },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "echo", name: "echo", description: "echo", tags: ["echo"] }],
  };
}

describe.runIf(requireMosquitto())("advisory status and trusted JWKS URIs on the profile's discovery (mosquitto)", () => {
  let broker: MosquittoHandle;
  let publisher: mqtt.MqttClient;
  let agent: A2AAgent;

  beforeAll(async () => {
    broker = await startMosquitto();
    publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "acme/plant1/registry", reconnectPeriod: 0 });
    agent = new A2AAgent({ orgId: "acme", agentId: "live", name: "Live", description: "Up and running", broker: broker.url, emqx: { unit: "plant1" }, onError: () => undefined });
    agent.registerTool(function echo(params) {
      return `Echo: ${String(params.message)}`;
    });
    await agent.start();
  });

  afterAll(async () => {
    await agent?.stop({ gracePeriodMs: 0 });
    await publisher?.endAsync();
    await broker?.close();
  });

  /** A retained card as a broker that manages status would deliver it: its own pair beside the agent's. */
  async function publishCard(name: string, userProperties: Record<string, string | string[]>, extensions: unknown[] = []): Promise<void> {
    await publisher.publishAsync(`$a2a/v1/discovery/acme/plant1/${name}`, JSON.stringify(card(name, extensions)), { qos: 1, retain: true, properties: { userProperties } });
  }

  it("prefers the broker's status over the agent's, and still calls an agent marked offline (status is advisory)", async () => {
    await publishCard("managed", { "a2a-status": ["online", "offline"], "a2a-status-source": ["agent", "broker"] });
    await publishCard("plain", { "a2a-status": "offline", "a2a-status-source": "lwt" });
    // The live agent's card, overwritten as a broker would show it if it judged the connection gone.
    const client = new A2AClient({ broker: broker.url, clientId: "reader", emqx: { unit: "plant1", retry: { firstReplyTimeoutMs: 3000 } } });
    try {
      const found = await client.findAgents({});
      const byId = new Map(found.map((a) => [a.id, a]));
      expect(byId.get("acme/plant1/managed")).toMatchObject({ status: "offline", statusSource: "broker" });
      expect(byId.get("acme/plant1/plain")).toMatchObject({ status: "offline", statusSource: "lwt" });
      expect(byId.get("acme/plant1/live")).toMatchObject({ status: "online", statusSource: "agent" });

      await publishCard("live", { "a2a-status": ["online", "offline"], "a2a-status-source": ["agent", "broker"] });
      const again = await client.findAgents({});
      expect(again.find((a) => a.id === "acme/plant1/live")).toMatchObject({ status: "offline", statusSource: "broker" });
      // Advisory: the call is made, and answered, whatever the card says.
      expect(textOf(await client.agent("acme/plant1/live").sendMessage("still there?"))).toBe("Echo: still there?");
    } finally {
      await client.close();
    }
  });

  it("takes only cards whose jwksUri the trusted JWKS URI policy trusts", async () => {
    await publishCard("trusted", { "a2a-status": "online" }, [{ uri: JWKS_EXTENSION_URI, params: { jwksUri: "https://keys.acme.example/plant1/jwks.json" } }]);
    await publishCard("forged", { "a2a-status": "online" }, [{ uri: JWKS_EXTENSION_URI, params: { jwksUri: "https://evil.example/jwks.json" } }]);
    await publishCard("cleartext", { "a2a-status": "online" }, [{ uri: "urn:x", params: { jwksUri: "http://keys.acme.example/plant1/jwks.json" } }]);
    const client = new A2AClient({ broker: broker.url, clientId: "careful", emqx: { unit: "plant1", trustedJwksUris: { trusted: ["https://keys.acme.example/plant1/"] } } });
    try {
      const ids = (await client.findAgents({})).map((a) => a.id);
      expect(ids).toContain("acme/plant1/trusted");
      expect(ids).not.toContain("acme/plant1/forged");
      expect(ids).not.toContain("acme/plant1/cleartext");
      // Cards that name no key set are not affected.
      expect(ids).toContain("acme/plant1/live");
    } finally {
      await client.close();
    }
  });

  it("the policy: exact URIs and prefixes, https only (loopback http only when allowed), no credentials", () => {
    const policy = new JwksUriPolicy({ trusted: ["https://idp.example/keys/", "https://other.example/jwks.json"] });
    expect(policy.trusts("https://idp.example/keys/a.json")).toBe(true);
    expect(policy.trusts("https://idp.example/keysx/a.json")).toBe(false);
    expect(policy.trusts("https://other.example/jwks.json")).toBe(true);
    expect(policy.trusts("https://other.example/jwks.json.evil")).toBe(false);
    expect(policy.refusal("http://idp.example/keys/a.json")).toMatch(/not https/);
    expect(policy.refusal("https://user:pw@idp.example/keys/a.json")).toMatch(/credentials/);
    expect(policy.refusal("javascript:alert(1)")).toMatch(/not an absolute http\(s\) URL/);
    const local = new JwksUriPolicy({ trusted: ["http://127.0.0.1:8080/"], allowLoopbackHttp: true });
    expect(local.trusts("http://127.0.0.1:8080/jwks.json")).toBe(true);
    expect(new JwksUriPolicy({ trusted: ["http://10.0.0.1/"], allowLoopbackHttp: true }).trusts("http://10.0.0.1/jwks.json")).toBe(false);
    expect(cardJwksRefusal(card("x", [{ uri: "u", params: { jwksUri: "https://evil.example/" } }]), policy)).toMatch(/not in the trusted list/);
    expect(cardJwksRefusal(card("y"), policy)).toBeUndefined();
  });
});
