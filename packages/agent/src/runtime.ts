import type { AgentCard } from "@a2a/schema";
import type { ResumeWindows } from "./event-window.js";
import type { TaskAccess } from "./principal.js";
import type { MemoryBudget } from "./memory-budget.js";
import type { PushNotifier } from "./push/push-notifier.js";
import type { RegisteredSkill } from "./skill.js";
import type { TaskLimiter } from "./task-limiter.js";
import type { TaskManager } from "./task-manager.js";

/** What operation handlers may use of the agent. */
export interface AgentRuntime {
  readonly manager: TaskManager;
  readonly limiter: TaskLimiter;
  /** Which tasks a request may see (scoping to the task's owner). */
  readonly access: TaskAccess;
  /** What tasks, replies, notifications and streams may hold; new work is refused beyond. */
  readonly budget?: MemoryBudget | undefined;
  readonly skills: ReadonlyMap<string, RegisteredSkill>;
  /** The card as currently published (without presence). */
  card(): AgentCard;
  /** True once `stop()` began: new tasks are refused. */
  readonly stopping: boolean;
  /** Push notification configs and delivery; undefined when the card declares none. */
  readonly push?: PushNotifier | undefined;
  /** The event windows of streamed tasks, for resuming streams. */
  readonly windows?: ResumeWindows | undefined;
  /** The extended agent card, when one is configured. */
  readonly extendedCard?: (() => Promise<AgentCard>) | undefined;
}
