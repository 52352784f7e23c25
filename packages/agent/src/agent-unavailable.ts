import { A2AErrorCode, A2AProtocolError } from "@a2a/schema";

/**
 * The -32603 refusal of an agent that cannot take the work now (at capacity, stopping).
 * On the wire it is a plain A2AProtocolError; the class lets other schemes recognise it
 * (the EMQX profile answers it as `responder_unavailable`) without reading its message.
 */
export class AgentUnavailableError extends A2AProtocolError {
  constructor(message: string) {
    super({ code: A2AErrorCode.InternalError, message });
  }
}
