export { MqttTransport } from "./mqtt-transport.js";
export type { MqttTlsOptions, MqttTransportOptions, ReconnectOptions } from "./options.js";
