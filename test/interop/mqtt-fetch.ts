import { randomUUID } from "node:crypto";
import { MqttTransport } from "@a2a/transport/mqtt";
import { decodeReply, REPLY_TO_MEMBER } from "@a2a/transport/binding";

/**
 * A `fetch` for an HTTP JSON-RPC client that carries each request over MQTT instead:
 * the body goes to the agent's tasks topic as it is (no `A2A-Version`: what a 0.3
 * client sends), the reply comes back as the HTTP response, a stream as Server-Sent
 * Events. It lets an unmodified HTTP client library talk to an MQTT agent.
 */
export async function mqttFetch(options: { url: string; tasksTopic: string; protocolVersion: 4 | 5 }) {
  const clientId = `fetch-${randomUUID().slice(0, 8)}`;
  const transport = new MqttTransport({ url: options.url, clientId, protocolVersion: options.protocolVersion, clean: true });
  await transport.connect();
  const replyTopic = `replies/${clientId}/fetch`;
  const waiting = new Map<unknown, (frame: { text: string; final: boolean }) => void>();
  /** Every request body the client sent, as JSON. */
  const sent: Array<Record<string, unknown>> = [];
  await transport.subscribe(replyTopic, (message) => {
    const decoded = decodeReply(message);
    if (!decoded.ok) return;
    const text = typeof message.payload === "string" ? message.payload : Buffer.from(message.payload).toString("utf8");
    waiting.get(decoded.reply.id)?.({ text, final: decoded.reply.final });
  }, { qos: 1 });

  const fetchImpl = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (typeof init?.body !== "string") throw new TypeError("mqtt-fetch carries JSON-RPC requests: the body must be a string");
    const body = JSON.parse(init.body) as Record<string, unknown>;
    sent.push(body);
    const accept = new Headers(init?.headers).get("Accept") ?? "";
    const streaming = accept.includes("text/event-stream");
    const frames: Array<{ text: string; final: boolean }> = [];
    let wake: (() => void) | undefined;
    waiting.set(body.id, (frame) => {
      frames.push(frame);
      wake?.();
    });
    const next = async (): Promise<{ text: string; final: boolean }> => {
      while (frames.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return frames.shift()!;
    };
    if (options.protocolVersion === 5) {
      await transport.publish(options.tasksTopic, JSON.stringify(body), { qos: 1, properties: { responseTopic: replyTopic } });
    } else {
      await transport.publish(options.tasksTopic, JSON.stringify({ ...body, [REPLY_TO_MEMBER]: replyTopic }), { qos: 1 });
    }
    if (!streaming) {
      const reply = await next();
      waiting.delete(body.id);
      return new Response(reply.text, { status: 200, headers: { "Content-Type": "application/json" } });
    }
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const frame = await next();
        controller.enqueue(encoder.encode(`data: ${frame.text}\n\n`));
        if (frame.final) {
          waiting.delete(body.id);
          controller.close();
        }
      },
    });
    return new Response(stream, { status: 200, headers: { "Content-Type": "text/event-stream" } });
  };
  return { fetchImpl: fetchImpl, sent, close: () => transport.close() };
}
