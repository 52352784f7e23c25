import type { StreamResponse, Task } from "@a2a/schema";
import { isStreamEnd } from "@a2a/transport/binding";
import type { TaskManager, LiveTask } from "../task-manager.js";

/**
 * The events of a live task for one stream: first the task as it is after `begin`
 * ran, then its updates, ending at the first terminal or interrupted state. The bus
 * subscription is taken synchronously here so that no event is missed.
 */
export function taskStream(manager: TaskManager, live: LiveTask, begin: () => void = () => {}): AsyncIterable<StreamResponse> {
  const subscription = live.bus.subscribe();
  begin();
  const first: Task = manager.snapshot(live.task);
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield { task: first };
        if (isStreamEnd({ task: first })) return;
        for await (const event of subscription) {
          yield event;
          if (isStreamEnd(event)) return;
        }
      } finally {
        subscription.close();
      }
    },
  };
}
