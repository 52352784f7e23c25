export { waitFor, type WaitForOptions } from "./wait-for.js";
export { freePort } from "./free-port.js";
