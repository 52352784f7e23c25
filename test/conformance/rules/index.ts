import type { ConformanceRule } from "../adapter.js";
import { bindingRules } from "./binding.js";
import { operationRules } from "./operations.js";
import { protocolRules } from "./protocol.js";

/** Every rule of the suite. */
export const allRules: readonly ConformanceRule[] = [...operationRules, ...protocolRules, ...bindingRules];
