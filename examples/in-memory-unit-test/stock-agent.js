import { A2AAgent } from "@a2a/agent";

/**
 * The code under test: an agent whose `check-stock` skill answers from a stock table.
 * `broker` is a URL in production and an in-memory transport in the unit test.
 */
export function createStockAgent({ broker, stock }) {
  const agent = new A2AAgent({ orgId: "acme", agentId: "inventory", name: "Inventory", description: "Knows the stock", broker });
  agent.skill({
    id: "check-stock",
    description: "Units in stock for each SKU",
    handler: (input) => {
      const skus = Array.isArray(input?.skus) ? input.skus : [];
      return { levels: Object.fromEntries(skus.map((sku) => [sku, stock[sku] ?? 0])) };
    },
  });
  return agent;
}
