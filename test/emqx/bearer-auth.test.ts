import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent, AuthErrorCode, type A2AAgentOptions } from "@a2a/agent";
import { A2AClient, A2AClientError, A2AProtocolError, textOf, userMessage } from "@a2a/client";
import { MqttTransport } from "@a2a/transport/mqtt";
import { UntrustedJwksUriError } from "@a2a/transport/binding";
import type { InboundMessage, LogFields, Logger } from "@a2a/transport";
import { requireMosquitto, requireOpenssl, waitFor } from "@a2a/testing";
import { startTestIssuer, startTlsMosquitto, type TestIssuer, type TlsMosquitto } from "./helpers.js";

const AUDIENCE = "acme/reports";
const ask = (skill: string) => ({ message: userMessage({ text: "q3", skill }) });

describe.runIf(requireMosquitto() && requireOpenssl())("per-request bearer tokens (a2a-authorization) on mosquitto over TLS", () => {
  let broker: TlsMosquitto;
  let issuer: TestIssuer;
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  beforeAll(async () => {
    broker = await startTlsMosquitto();
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await issuer?.close();
    await broker?.close();
  });

  /** What the agent logged or reported, every line of it, to look for the token. */
  function recordingLogger(lines: string[]): Logger {
    const log = (level: string) => (fields: LogFields, message: string) => void lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
    return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
  }

  async function startAgent(overrides: Partial<A2AAgentOptions> = {}, lines: string[] = []): Promise<A2AAgent> {
    const agent = new A2AAgent({
      orgId: "acme",
      agentId: "reports",
      name: "Reports",
      description: "Writes reports",
      broker: broker.tlsUrl,
      mqtt: { tls: { ca: broker.pki.ca } },
      logger: recordingLogger(lines),
      onError: (error) => lines.push(`onError ${String(error)} ${JSON.stringify(error)}`),
      securityRequirements: [{ schemes: { bearer: { list: ["reports:read"] } } }],
      bearerAuth: {
        issuer: issuer.issuer,
        audience: AUDIENCE,
        jwksUri: issuer.jwksUri,
        trustedJwksUris: { trusted: [issuer.jwksUri], allowLoopbackHttp: true },
      },
      ...overrides,
    });
    agent.skill({ id: "summary", handler: () => "summary of the quarter" });
    agent.skill({
      id: "publish",
      securityRequirements: [{ schemes: { bearer: { list: ["reports:read", "reports:write"] } } }],
      handler: () => "published",
    });
    await agent.start();
    cleanups.push(() => agent.stop({ gracePeriodMs: 0 }));
    return agent;
  }

  async function startClient(clientId: string): Promise<A2AClient> {
    const client = new A2AClient({ broker: broker.tlsUrl, clientId, mqtt: { tls: { ca: broker.pki.ca } }, timeoutMs: 10_000 });
    cleanups.push(() => client.close());
    return client;
  }

  /** Every reply on the broker (payloads and user properties), read by a third party on `replies/#`. */
  async function replySpy(): Promise<InboundMessage[]> {
    const seen: InboundMessage[] = [];
    const spy = new MqttTransport({ url: broker.broker.url, clientId: "spy" });
    await spy.connect();
    await spy.subscribe("replies/#", (message) => seen.push(message));
    cleanups.push(() => spy.close());
    return seen;
  }

  async function refusal(call: Promise<unknown>): Promise<A2AProtocolError> {
    const error = await call.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(A2AProtocolError);
    return error as A2AProtocolError;
  }

  it("serves a request with a valid token and refuses expired, wrong-audience and missing-scope tokens with the documented errors", async () => {
    const lines: string[] = [];
    const agent = await startAgent({}, lines);
    const seen = await replySpy();
    const client = await startClient("alice");
    const reports = client.agent("acme/reports");
    const valid = await issuer.sign({ sub: "alice", aud: AUDIENCE, scope: "reports:read" });
    const expired = await issuer.sign({ sub: "alice", aud: AUDIENCE, scope: "reports:read" }, { expiresIn: Math.floor(Date.now() / 1000) - 120 });
    const wrongAudience = await issuer.sign({ sub: "alice", aud: "acme/other-agent", scope: "reports:read" });

    expect(textOf(await reports.sendMessage(ask("summary"), { bearerToken: valid }))).toBe("summary of the quarter");

    const noToken = await refusal(reports.sendMessage(ask("summary")));
    expect(noToken.code).toBe(AuthErrorCode.Unauthenticated);
    expect(noToken.message).toMatch(/requires a bearer token in the a2a-authorization user property/);

    const late = await refusal(reports.sendMessage(ask("summary"), { bearerToken: expired }));
    expect(late.code).toBe(AuthErrorCode.Unauthenticated);
    expect(late.message).toMatch(/expired/);
    expect(late.data).toEqual([expect.objectContaining({ reason: "UNAUTHENTICATED", metadata: { scheme: "Bearer", error: "invalid_token" } })]);

    const elsewhere = await refusal(reports.sendMessage(ask("summary"), { bearerToken: wrongAudience }));
    expect(elsewhere.code).toBe(AuthErrorCode.Unauthenticated);
    expect(elsewhere.message).toMatch(/not meant for this agent \(aud\)/);

    // The skill asks for reports:write on top of the card's reports:read.
    const scope = await refusal(reports.sendMessage(ask("publish"), { bearerToken: valid }));
    expect(scope.code).toBe(AuthErrorCode.PermissionDenied);
    expect(scope.message).toMatch(/skill "publish" needs the scope reports:write/);
    expect(scope.data).toEqual([expect.objectContaining({ reason: "PERMISSION_DENIED", metadata: { scheme: "Bearer", error: "insufficient_scope", scope: "reports:write" } })]);
    const writer = await issuer.sign({ sub: "alice", aud: AUDIENCE, scope: "reports:read reports:write" });
    expect(textOf(await reports.sendMessage(ask("publish"), { bearerToken: writer }))).toBe("published");

    // Streams are refused the same way, as one error frame.
    const streamed = reports.sendStreamingMessage(ask("summary"), { bearerToken: expired });
    const streamError = await (async () => {
      try {
        for await (const event of streamed) void event;
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(streamError).toMatchObject({ code: AuthErrorCode.Unauthenticated });

    // Never echoed: not in any reply (payload or property), not in anything the agent logged.
    await waitFor(() => seen.length >= 7, { timeoutMs: 5000, message: "the spy to see every reply" });
    for (const token of [valid, expired, wrongAudience, writer]) {
      for (const message of seen) {
        expect(new TextDecoder().decode(message.payload)).not.toContain(token);
        expect(JSON.stringify(message.properties.userProperties ?? {})).not.toContain(token);
        expect(Object.keys(message.properties.userProperties ?? {}).map((k) => k.toLowerCase())).not.toContain("a2a-authorization");
      }
      for (const line of lines) expect(line).not.toContain(token.split(".")[2]!);
    }
    expect(issuer.fetches).toBeGreaterThanOrEqual(1);
    expect(Object.keys(agent.card.securitySchemes ?? {})).toEqual(["bearer"]);
    expect(agent.card.securitySchemes?.bearer?.httpAuthSecurityScheme).toMatchObject({ scheme: "Bearer", bearerFormat: "JWT" });
    expect(agent.card.skills.find((s) => s.id === "publish")?.securityRequirements).toEqual([{ schemes: { bearer: { list: ["reports:read", "reports:write"] } } }]);
  });

  it("checks tokens on the EMQX profile too: a2a-authorization per request, refusals with the same errors, the token never echoed", async () => {
    const lines: string[] = [];
    await startAgent({ emqx: { unit: "plant1" } }, lines);
    const seen: InboundMessage[] = [];
    const spy = new MqttTransport({ url: broker.broker.url, clientId: "spy-profile", protocolVersion: 5 });
    await spy.connect();
    await spy.subscribe("$a2a/v1/reply/#", (message) => seen.push(message));
    cleanups.push(() => spy.close());
    const client = new A2AClient({
      broker: broker.tlsUrl,
      clientId: "carol",
      mqtt: { tls: { ca: broker.pki.ca } },
      emqx: { unit: "plant1", agent: "carol", mqtt: { tls: { ca: broker.pki.ca } }, retry: { firstReplyTimeoutMs: 3000 } },
      timeoutMs: 10_000,
    });
    cleanups.push(() => client.close());
    const reports = client.agent("acme/plant1/reports");
    const valid = await issuer.sign({ sub: "carol", aud: AUDIENCE, scope: "reports:read" });
    const expired = await issuer.sign({ sub: "carol", aud: AUDIENCE, scope: "reports:read" }, { expiresIn: Math.floor(Date.now() / 1000) - 120 });
    const wrongAudience = await issuer.sign({ sub: "carol", aud: "someone-else", scope: "reports:read" });

    expect(textOf(await reports.sendMessage(ask("summary"), { bearerToken: valid }))).toBe("summary of the quarter");
    expect((await refusal(reports.sendMessage(ask("summary"), { bearerToken: expired }))).code).toBe(AuthErrorCode.Unauthenticated);
    expect((await refusal(reports.sendMessage(ask("summary"), { bearerToken: wrongAudience }))).message).toMatch(/\(aud\)/);
    const scope = await refusal(reports.sendMessage(ask("publish"), { bearerToken: valid }));
    expect(scope.code).toBe(AuthErrorCode.PermissionDenied);
    expect((await refusal(reports.sendMessage(ask("summary")))).code).toBe(AuthErrorCode.Unauthenticated);

    await waitFor(() => seen.length >= 5, { timeoutMs: 5000, message: "the spy to see the profile replies" });
    for (const token of [valid, expired, wrongAudience]) {
      for (const message of seen) {
        expect(Buffer.from(message.payload).toString("utf8")).not.toContain(token);
        expect(JSON.stringify(message.properties.userProperties ?? {})).not.toContain(token);
      }
      for (const line of lines) expect(line).not.toContain(token.split(".")[2]!);
    }
  });

  it("never hands the token to operation handlers (which could echo it)", async () => {
    await startAgent({
      operations: {
        // An operation that echoes its service parameters.
        GetTask: { streaming: false, handle: async (params, ctx) => ({ id: params.id, status: { state: "TASK_STATE_COMPLETED" }, metadata: { seen: ctx.serviceParams } }) },
      },
    });
    const client = await startClient("erin");
    const token = await issuer.sign({ sub: "erin", aud: AUDIENCE, scope: "reports:read" });
    const task = await client.agent("acme/reports").getTask("t-1", { bearerToken: token });
    expect(task.metadata?.seen).toMatchObject({ "A2A-Version": "1.0" });
    expect(JSON.stringify(task)).not.toContain(token);
    expect(Object.keys(task.metadata?.seen as object).map((k) => k.toLowerCase())).not.toContain("a2a-authorization");
  });

  it("scopes tasks to the token's subject: another subject's GetTask is answered like an unknown task", async () => {
    await startAgent();
    const client = await startClient("shared-client");
    const reports = client.agent("acme/reports");
    const alice = await issuer.sign({ sub: "alice", aud: AUDIENCE, scope: "reports:read" });
    const bob = await issuer.sign({ sub: "bob", aud: AUDIENCE, scope: "reports:read" });
    const result = await reports.sendMessage(ask("summary"), { bearerToken: alice });
    const taskId = "task" in result ? result.task.id : "";
    expect((await reports.getTask(taskId, { bearerToken: alice })).id).toBe(taskId);
    const hidden = await refusal(reports.getTask(taskId, { bearerToken: bob }));
    expect(hidden.code).toBe(-32001);
  });

  it("refuses a compact Task Request without a token with a rejected Task Result", async () => {
    await startAgent();
    const seen = await replySpy();
    const requester = new MqttTransport({ url: broker.broker.url, clientId: "seed-client" });
    await requester.connect();
    cleanups.push(() => requester.close());
    await requester.publish("acme/reports/tasks", JSON.stringify({ id: "req-1", taskId: "label-1", operation: "summary", params: { message: "q3" } }), {
      qos: 1,
      properties: { responseTopic: "replies/seed-client/inbox" },
    });
    const reply = await waitFor(() => seen.find((m) => m.topic === "replies/seed-client/inbox"), { message: "the Task Result" });
    const result = JSON.parse(new TextDecoder().decode(reply.payload)) as { id: string; taskId: string; status: string; error: string };
    expect(result).toMatchObject({ id: "req-1", taskId: "label-1", status: "rejected" });
    expect(result.error).toMatch(/^Unauthenticated: this agent requires a bearer token/);
  });

  it("answers -32603 (not a token error) when the issuer's keys cannot be fetched, and reports it", async () => {
    const lines: string[] = [];
    const missing = issuer.jwksUri.replace("/jwks.json", "/missing.json");
    await startAgent({ bearerAuth: { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: missing, trustedJwksUris: { trusted: [missing], allowLoopbackHttp: true } } }, lines);
    const client = await startClient("dave");
    const token = await issuer.sign({ sub: "dave", aud: AUDIENCE, scope: "reports:read" });
    const error = await refusal(client.agent("acme/reports").sendMessage(ask("summary"), { bearerToken: token }));
    expect(error.code).toBe(-32603);
    expect(error.message).toMatch(/keys could not be fetched; retry later/);
    expect(lines.some((line) => line.startsWith("onError"))).toBe(true);
  });

  it("refuses a token signed by a key the issuer's key set does not hold", async () => {
    await startAgent();
    const client = await startClient("mallory");
    const { generateKeyPair } = await import("jose");
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await issuer.sign({ sub: "mallory", aud: AUDIENCE, scope: "reports:read" }, { key: privateKey });
    const error = await refusal(client.agent("acme/reports").sendMessage(ask("summary"), { bearerToken: forged }));
    expect(error.code).toBe(AuthErrorCode.Unauthenticated);
    expect(error.message).toMatch(/signature does not verify/);
  });

  it("requires TLS wherever tokens travel: the client will not send one over mqtt://, the agent will not accept them there", async () => {
    const plain = new A2AClient({ broker: broker.broker.url, clientId: "plain", timeoutMs: 5000, discovery: false });
    cleanups.push(() => plain.close());
    const token = await issuer.sign({ sub: "alice", aud: AUDIENCE, scope: "reports:read" });
    const error = await plain.agent("acme/reports").sendMessage("q3", { bearerToken: token }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(A2AClientError);
    expect(error).toMatchObject({ code: "INSECURE_TRANSPORT" });
    expect((error as Error).message).toMatch(/only over TLS.*mqtts:\/\/.*allowInsecureTokens/);
    // The same on the profile connection, at once: a local refusal is not retried (a retry
    // would first wait the minute of backoff configured here).
    const profile = new A2AClient({ broker: broker.broker.url, clientId: "plain-profile", discovery: false, emqx: { unit: "plant1", discovery: false, retry: { backoffMs: [60_000] } } });
    cleanups.push(() => profile.close());
    await expect(profile.agent("acme/plant1/reports").sendMessage("q3", { bearerToken: token })).rejects.toMatchObject({ code: "INSECURE_TRANSPORT" });

    const plainAgent = () =>
      new A2AAgent({
        orgId: "acme",
        agentId: "plain",
        name: "Plain",
        description: "On a plain listener",
        broker: broker.broker.url,
        bearerAuth: { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri, trustedJwksUris: { trusted: [issuer.jwksUri], allowLoopbackHttp: true } },
      });
    expect(plainAgent).toThrow(/bearerAuth: Bearer tokens travel only over TLS/);
  });

  it("fetches keys only from a trusted JWKS URI", () => {
    const options = { orgId: "acme", agentId: "x", name: "X", description: "X", broker: broker.tlsUrl };
    expect(() => new A2AAgent({ ...options, bearerAuth: { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri } })).toThrow(UntrustedJwksUriError);
    expect(
      () =>
        new A2AAgent({
          ...options,
          bearerAuth: { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: "https://evil.example/jwks.json", trustedJwksUris: { trusted: ["https://idp.example.test/"] } },
        }),
    ).toThrow(/not in the trusted list/);
  });
});
