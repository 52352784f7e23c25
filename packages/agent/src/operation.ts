import type { A2AMethod, OperationParams, StreamResponse } from "@a2a/schema";
import type { ReplyRoute, ServiceParams } from "@a2a/transport/binding";
import type { Principal } from "./principal.js";
import type { AgentServices } from "./services.js";

/** The request an operation handler serves. */
export interface OperationContext {
  /** What the handler may use of the agent. */
  services: AgentServices;
  route: ReplyRoute;
  serviceParams: ServiceParams;
  /** Who sent the request (undefined when it has no reply route); tasks are scoped to it. */
  principal?: Principal | undefined;
  /** The id of the task a SendMessage creates, chosen by the requester (the EMQX profile); a new UUID when unset. */
  newTaskId?: string | undefined;
  /** The request's size in bytes, when it came as a payload (the size of what it carries is known then). */
  requestBytes?: number | undefined;
}

/** Extra members of a stream frame: the task event it carries (docs/binding.md section 5.1). */
export interface FrameMembers {
  eventSeq: number;
  /** On a resumed stream's Task frame: the events asked for are no longer held. */
  gap?: true;
}

/** A stream of events, and the task it follows once known (for de-duplication). */
export interface OperationStream {
  taskId?: string;
  events: AsyncIterable<StreamResponse>;
  /** The frame members of the event the iterator handed out last, if it numbers them. */
  frameMembers?: () => FrameMembers | undefined;
}

/**
 * Serves one A2A operation. Throw an `A2AProtocolError` (or a JSON-RPC error object,
 * e.g. from `@a2a/schema`'s constructors) to answer with that error.
 */
export type OperationHandler<M extends A2AMethod = A2AMethod> =
  | { streaming: false; handle(params: OperationParams<M>, ctx: OperationContext): Promise<unknown> }
  | { streaming: true; handle(params: OperationParams<M>, ctx: OperationContext): Promise<OperationStream> };

export type OperationHandlers = { [M in A2AMethod]: OperationHandler<M> };
