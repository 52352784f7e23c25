import { EMQX_STATUS_PROPERTY, EMQX_STATUS_SOURCE_PROPERTY, type EmqxStatusSource } from "@a2a/transport/binding";

/**
 * The advisory status of a profile card publication (`a2a-status`, `a2a-status-source`).
 * A broker that manages status (the profile's Extended "broker-managed status") sets
 * them on delivery; one that adds its pair beside the agent's makes each property
 * repeat, and MQTT 5 keeps both values (our transport joins them with commas, in
 * order). The broker's value is preferred then (it knows the connection state); else
 * the last one given. A card without `a2a-status` counts as online (the property is a SHOULD).
 */
export function advisoryStatus(userProperties: Readonly<Record<string, string>> | undefined): { status: "online" | "offline"; source?: EmqxStatusSource } {
  const statuses = split(userProperties?.[EMQX_STATUS_PROPERTY]);
  const sources = split(userProperties?.[EMQX_STATUS_SOURCE_PROPERTY]);
  const brokerAt = sources.lastIndexOf("broker");
  const status = brokerAt >= 0 && statuses.length === sources.length ? statuses[brokerAt] : statuses.at(-1);
  const source = brokerAt >= 0 ? "broker" : sources.at(-1);
  const out: { status: "online" | "offline"; source?: EmqxStatusSource } = { status: status === "offline" ? "offline" : "online" };
  if (source === "agent" || source === "lwt" || source === "broker") out.source = source;
  return out;
}

function split(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(",").map((v) => v.trim()).filter((v) => v !== "");
}
