import { isA2AProtocolError, textOf, userMessage, type A2AClient, type AgentHandle } from "@a2a/client";
import { isTerminalState, type StreamResponse, type Task } from "@a2a/schema";
import { actorOf, shortState } from "./agents/delegate.js";
import type { Order, OrderConfirmation, SubstitutionQuestion, TrackingHandle } from "./agents/orchestrator.js";
import type { StockLevel } from "./data/stock.js";
import type { CheckName, CheckOutcome, ScenarioOutcome } from "./outcome.js";
import type { SupplyChain } from "./supply-chain.js";
import type { Trace } from "./trace.js";
import { Webhook } from "./webhook.js";

/** What every part of the scenario works with. */
export interface ScenarioContext {
  /** The customer's (and back office's) client: one connection for all their calls. */
  client: A2AClient;
  trace: Trace;
  signal: AbortSignal;
  system: SupplyChain;
  outcome: ScenarioOutcome;
  record: (check: CheckOutcome) => void;
}

/** One part of the story and the checks it settles. */
export interface ScenarioPart {
  checks: readonly CheckName[];
  run(ctx: ScenarioContext): Promise<void>;
}

export const AGENTS = ["acme/inventory", "acme/supplier", "acme/logistics", "acme/orchestrator"] as const;

/** The order fulfilled end to end: VLV-DN40 is short (a substitute is offered), HSE-5M partly backordered. */
export const ORDER_FULFILLED: Order = {
  orderId: "SO-1001",
  customer: "Västkust VVS AB",
  destination: { city: "Göteborg", country: "SE" },
  lines: [
    { sku: "PMP-2000", qty: 2 },
    { sku: "VLV-DN40", qty: 10 },
    { sku: "HSE-5M", qty: 4 },
    { sku: "SNS-P10", qty: 6 },
  ],
};

/** The order that is cancelled while its shipment is on the way: all from stock. */
export const ORDER_CANCELLED: Order = {
  orderId: "SO-1002",
  customer: "Fjord Rør AS",
  destination: { city: "Oslo", country: "NO" },
  lines: [
    { sku: "FLT-200", qty: 3 },
    { sku: "SNS-P10", qty: 12 },
  ],
};

const discovery: ScenarioPart = {
  checks: ["discovery"],
  async run({ client, trace, signal, outcome, record }) {
    trace.step("1. Discovery: the retained Agent Cards");
    const seen = new Set<string>();
    for await (const event of client.watchAgents({ signal })) {
      const { agent } = event;
      if (event.type !== "online" || seen.has(agent.id) || !(AGENTS as readonly string[]).includes(agent.id)) continue;
      seen.add(agent.id);
      trace.answer(actorOf(agent.id), "customer", `Agent Card "${agent.card.name}": ${agent.card.skills.map((s) => s.id).join(", ")}`);
      if (seen.size === AGENTS.length) break;
    }
    const [orderDesk] = await client.findAgents({ skill: "fulfil-order", status: "online", signal });
    if (orderDesk === undefined) throw new Error("No agent offers fulfil-order");
    trace.note("customer", `fulfil-order is offered by ${orderDesk.id}`);
    outcome.agents = [...seen].sort();
    record({ name: "discovery", ok: true, detail: `${seen.size} agents from their Agent Cards; fulfil-order at ${orderDesk.id}` });
  },
};

const fulfilment: ScenarioPart = {
  checks: ["order-fulfilled", "streamed-progress", "multi-turn"],
  async run({ client, trace, signal, outcome, record }) {
    trace.step(`2. Order ${ORDER_FULFILLED.orderId}: streamed, with a question on the way`);
    const orchestrator = client.agent("acme/orchestrator");
    trace.call("customer", "orchestrator", `fulfil-order ${ORDER_FULFILLED.orderId}: ${ORDER_FULFILLED.lines.map((l) => `${l.qty}× ${l.sku}`).join(", ")}`);
    const first = await follow(trace, orchestrator.sendStreamingMessage({ message: userMessage({ data: ORDER_FULFILLED, skill: "fulfil-order" }) }, { signal }));
    outcome.progressEvents += first.progress;
    if (first.task === undefined) throw new Error("fulfil-order answered without a task");
    if (first.state !== "TASK_STATE_INPUT_REQUIRED" || first.question === undefined) {
      throw new Error(`expected the order to stop for a substitution question, but it ended ${shortState(first.state)}`);
    }
    const question = first.question;

    trace.call("customer", "orchestrator", `"yes" to ${question.qty}× ${question.substitute} (continues task ${short(first.task.id)})`);
    const second = await follow(
      trace,
      orchestrator.sendStreamingMessage({ message: userMessage({ text: "yes", data: { accept: true }, taskId: first.task.id }) }, { signal }),
    );
    outcome.progressEvents += second.progress;
    const resumedSame = second.task?.id === first.task.id;
    record({
      name: "multi-turn",
      ok: resumedSame && second.state !== "TASK_STATE_INPUT_REQUIRED",
      detail: resumedSame
        ? `input-required (${question.sku} → ${question.substitute}), answered, continued to ${shortState(second.state)}`
        : "the answer did not continue the same task",
    });
    const confirmation = second.result as OrderConfirmation | undefined;
    const substituted = confirmation?.lines.some((l) => l.source === "substitute" && l.replaces === question.sku) === true;
    const backordered = confirmation?.lines.filter((l) => l.source === "backorder") ?? [];
    const fulfilled =
      second.state === "TASK_STATE_COMPLETED" &&
      confirmation?.shipment.delivered === true &&
      substituted &&
      backordered.length > 0 &&
      backordered.every((l) => l.poNumber !== undefined);
    if (confirmation !== undefined) outcome.order = confirmation;
    record({
      name: "order-fulfilled",
      ok: fulfilled,
      detail: fulfilled
        ? `${confirmation.orderId} delivered by ${confirmation.shipment.carrier} (${confirmation.shipment.shipmentId}), ` +
          `reservation ${confirmation.reservationId}, backorder ${backordered.map((l) => l.poNumber).join(", ")}`
        : `task ${shortState(second.state)}; confirmation ${JSON.stringify(confirmation ?? null)}`,
    });
    const progress = outcome.progressEvents;
    record({
      name: "streamed-progress",
      ok: progress >= 10,
      detail: `${progress} progress events streamed to the customer, tracking milestones relayed from logistics`,
    });
  },
};

const cancellation: ScenarioPart = {
  checks: ["cancellation"],
  async run({ client, trace, signal, record }) {
    trace.step(`3. Order ${ORDER_CANCELLED.orderId}: cancelled while the shipment is on its way`);
    const skus = ORDER_CANCELLED.lines.map((l) => l.sku);
    const before = await available({ client, trace, signal }, skus);
    const orchestrator = client.agent("acme/orchestrator");
    trace.call("customer", "orchestrator", `fulfil-order ${ORDER_CANCELLED.orderId}: ${ORDER_CANCELLED.lines.map((l) => `${l.qty}× ${l.sku}`).join(", ")}`);
    let cancelled: Task | undefined;
    const run = await follow(trace, orchestrator.sendStreamingMessage({ message: userMessage({ data: ORDER_CANCELLED, skill: "fulfil-order" }) }, { signal }), {
      // Cancel at the first tracking milestone: the order holds a reservation and a delegated task then.
      onProgress: async (text, state) => {
        if (cancelled !== undefined || state.tracking === undefined || !text.startsWith(state.tracking.shipmentId)) return;
        trace.call("customer", "orchestrator", `CancelTask ${short(state.task!.id)}`);
        cancelled = await orchestrator.cancelTask(state.task!.id, { signal });
        trace.answer("orchestrator", "customer", `task ${short(cancelled.id)} ${shortState(cancelled.status.state)}`);
      },
    });
    if (run.tracking === undefined) throw new Error("the order finished before tracking started; nothing was cancelled");
    const logistics = client.agent(run.tracking.trackingTask.agentId);
    const tracking = await settled({ trace, signal }, logistics, run.tracking.trackingTask.taskId);
    const after = await available({ client, trace, signal }, skus);
    const restored = skus.every((sku) => before.get(sku) === after.get(sku));
    const ok = run.state === "TASK_STATE_CANCELED" && tracking.status.state === "TASK_STATE_CANCELED" && restored;
    record({
      name: "cancellation",
      ok,
      detail:
        `order ${shortState(run.state)}, delegated tracking task ${shortState(tracking.status.state)}, ` +
        `reserved stock ${restored ? "released" : "NOT released"}`,
    });
  },
};

const push: ScenarioPart = {
  checks: ["push-notification"],
  async run({ client, trace, signal, outcome, record }) {
    trace.step("4. Push notification: a purchase order reports back over HTTP");
    const supplier = client.agent("acme/supplier");
    const card = await supplier.card({ signal });
    if (card?.capabilities.pushNotifications !== true) {
      throw new Error(
        "acme/supplier does not declare capabilities.pushNotifications in its Agent Card, so it cannot call a webhook; " +
          "push notifications need @a2a/agent with push support",
      );
    }
    const webhook = new Webhook({
      onDelivery: (d) => {
        outcome.pushDeliveries++;
        trace.answer("supplier", "webhook", `POST ${describeEvent(d.body)}`);
      },
      onRefused: (reason) => trace.fail("webhook", `refused a request: ${reason}`),
    });
    const url = await webhook.listen();
    trace.note("webhook", `listening on ${url}`);
    try {
      const token = `demo-${crypto.randomUUID()}`;
      trace.call("back-office", "supplier", "place-purchase-order 40× VLV-DN40 from baltic-fluid (returnImmediately)");
      const sent = await supplier.sendMessage(
        {
          message: userMessage({ data: { sku: "VLV-DN40", qty: 40, vendor: "baltic-fluid", reference: "restock" }, skill: "place-purchase-order" }),
          configuration: { returnImmediately: true },
        },
        { signal },
      );
      if (!("task" in sent)) throw new Error("place-purchase-order answered without a task");
      const taskId = sent.task.id;
      trace.answer("supplier", "back-office", `task ${short(taskId)} ${shortState(sent.task.status.state)}`);
      trace.call("back-office", "supplier", `CreateTaskPushNotificationConfig → ${url}`);
      const config = await client.agent("acme/supplier").createTaskPushNotificationConfig(
        { taskId, url, token, authentication: { scheme: "Bearer", credentials: token } },
        { signal },
      );
      trace.answer("supplier", "back-office", `push config ${config.id ?? "(no id)"} for task ${short(taskId)}`);
      const delivery = await webhook.waitFor((d) => taskIdOf(d.body) === taskId && isTerminalState(stateOfEvent(d.body) ?? "TASK_STATE_WORKING"), 10_000, signal);
      const authorized = delivery.authorization === `Bearer ${token}` || delivery.token === token;
      const state = stateOfEvent(delivery.body);
      record({
        name: "push-notification",
        ok: state === "TASK_STATE_COMPLETED" && authorized,
        detail: `${outcome.pushDeliveries} POST(s) to the webhook, last: task ${shortState(state)}, ${authorized ? "carrying the configured credentials" : "WITHOUT the configured credentials"}`,
      });
    } finally {
      await webhook.close();
    }
  },
};

export const PARTS: readonly ScenarioPart[] = [discovery, fulfilment, cancellation, push];

// ---- helpers ---------------------------------------------------------------------

interface FollowState {
  task: Task | undefined;
  state: Task["status"]["state"] | undefined;
  progress: number;
  question: SubstitutionQuestion | undefined;
  tracking: TrackingHandle | undefined;
  result: unknown;
}

/** Reads a task's stream to its end, tracing each event as orchestrator ⇢ customer. */
async function follow(
  trace: Trace,
  stream: AsyncIterable<StreamResponse>,
  options: { onProgress?: (text: string, state: FollowState) => Promise<void> } = {},
): Promise<FollowState> {
  const s: FollowState = { task: undefined, state: undefined, progress: 0, question: undefined, tracking: undefined, result: undefined };
  for await (const event of stream) {
    if ("task" in event) {
      s.task = event.task;
      s.state = event.task.status.state;
      trace.answer("orchestrator", "customer", `task ${short(event.task.id)} ${shortState(s.state)}`);
    } else if ("statusUpdate" in event) {
      s.state = event.statusUpdate.status.state;
      const text = textOf(event);
      trace.answer("orchestrator", "customer", `${shortState(s.state)}${text ? `: ${text}` : ""}`);
      if (s.state === "TASK_STATE_WORKING") {
        s.progress++;
        await options.onProgress?.(text, s);
      }
      if (s.state === "TASK_STATE_INPUT_REQUIRED") {
        const data = event.statusUpdate.status.message?.parts.find((p) => "data" in p);
        if (data !== undefined && "data" in data) s.question = data.data as SubstitutionQuestion;
      }
    } else if ("artifactUpdate" in event) {
      const { artifact } = event.artifactUpdate;
      const data = artifact.parts.find((p) => "data" in p);
      const value = data !== undefined && "data" in data ? data.data : undefined;
      if (artifact.name === "tracking") s.tracking = value as TrackingHandle;
      if (artifact.name === "result") s.result = value;
      trace.answer("orchestrator", "customer", `artifact "${artifact.name ?? artifact.artifactId}"`);
    }
  }
  return s;
}

/** The available stock of `skus`, asked of the inventory agent directly. */
async function available({ client, trace, signal }: Pick<ScenarioContext, "client" | "trace" | "signal">, skus: string[]): Promise<Map<string, number>> {
  trace.call("demo", "inventory", `check-stock ${skus.join(", ")}`);
  const result = await client.agent("acme/inventory").sendMessage({ message: userMessage({ data: { skus }, skill: "check-stock" }) }, { signal });
  const task = "task" in result ? result.task : undefined;
  const data = task?.artifacts?.[0]?.parts.find((p) => "data" in p);
  if (task?.status.state !== "TASK_STATE_COMPLETED" || data === undefined || !("data" in data)) {
    throw new Error(`check-stock failed: ${textOf(result) || shortState(task?.status.state)}`);
  }
  const levels = (data.data as { levels: StockLevel[] }).levels;
  trace.answer("inventory", "demo", levels.map((l) => `${l.sku} ${l.available} available`).join(", "));
  return new Map(levels.map((l) => [l.sku, l.available]));
}

/** The task once it has ended: follows it with SubscribeToTask, or reads it when it already ended. */
async function settled({ trace, signal }: Pick<ScenarioContext, "trace" | "signal">, agent: AgentHandle, taskId: string): Promise<Task> {
  const actor = actorOf(agent.id);
  trace.call("demo", actor, `SubscribeToTask ${short(taskId)}`);
  let last: Task | undefined;
  try {
    for await (const event of agent.subscribeToTask(taskId, { signal })) {
      if ("task" in event) last = event.task;
      else if ("statusUpdate" in event && last !== undefined) last = { ...last, status: event.statusUpdate.status };
    }
  } catch (error) {
    // A task that has already ended cannot be subscribed to (UnsupportedOperation).
    if (!isA2AProtocolError(error, -32004)) throw error;
  }
  if (last === undefined || !isTerminalState(last.status.state)) last = await agent.getTask(taskId, { signal });
  trace.answer(actor, "demo", `task ${short(taskId)} ${shortState(last.status.state)}`);
  return last;
}

function taskIdOf(event: StreamResponse): string | undefined {
  if ("task" in event) return event.task.id;
  if ("statusUpdate" in event) return event.statusUpdate.taskId;
  if ("artifactUpdate" in event) return event.artifactUpdate.taskId;
  return event.message.taskId;
}

function stateOfEvent(event: StreamResponse): Task["status"]["state"] | undefined {
  if ("task" in event) return event.task.status.state;
  if ("statusUpdate" in event) return event.statusUpdate.status.state;
  return undefined;
}

function describeEvent(event: StreamResponse): string {
  if ("artifactUpdate" in event) return `artifact "${event.artifactUpdate.artifact.name ?? event.artifactUpdate.artifact.artifactId}"`;
  const state = stateOfEvent(event);
  const text = textOf(event);
  return `${"task" in event ? "task" : "message" in event ? "message" : "status"} ${shortState(state)}${text ? `: ${text}` : ""}`;
}

function short(id: string): string {
  return id.slice(0, 8);
}
