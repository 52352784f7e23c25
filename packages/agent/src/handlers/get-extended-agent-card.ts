import { A2AProtocolError } from "@a2a/schema";
import type { OperationHandler } from "../operation.js";

/** GetExtendedAgentCard: -32004 unless declared, -32007 when declared but not configured. */
export const getExtendedAgentCard: OperationHandler<"GetExtendedAgentCard"> = {
  streaming: false,
  async handle(_params, { services }) {
    if (services.card().capabilities.extendedAgentCard !== true) {
      throw A2AProtocolError.unsupportedOperation("this agent declares no extended agent card");
    }
    if (services.extendedCard === undefined) throw A2AProtocolError.extendedAgentCardNotConfigured();
    return services.extendedCard();
  },
};
