import { describe, expectTypeOf, test } from "vitest";
import type {
  AgentCard,
  JsonRpcErrorObject,
  Message,
  OperationParams,
  OperationResult,
  Part,
  SendMessageResult,
  StreamResponse,
  Task,
  TaskRequest,
  TaskState,
} from "@a2a/schema";

// Compile-time checks (run by `pnpm lint`); vitest also runs them as no-op tests.
describe("inferred types are the 1.0 shapes", () => {
  test("message and parts", () => {
    expectTypeOf<Message["role"]>().toEqualTypeOf<"ROLE_USER" | "ROLE_AGENT">();
    expectTypeOf<Message["parts"]>().toEqualTypeOf<Part[]>();
    expectTypeOf<Message["messageId"]>().toEqualTypeOf<string>();
    expectTypeOf<Extract<Part, { text: string }>["text"]>().toEqualTypeOf<string>();
  });
  test("task and results", () => {
    expectTypeOf<Task["status"]["state"]>().toEqualTypeOf<TaskState>();
    expectTypeOf<OperationResult<"GetTask">>().toEqualTypeOf<Task>();
    expectTypeOf<OperationResult<"SendMessage">>().toEqualTypeOf<SendMessageResult>();
    expectTypeOf<OperationResult<"SubscribeToTask">>().toEqualTypeOf<StreamResponse>();
    expectTypeOf<OperationResult<"GetExtendedAgentCard">>().toEqualTypeOf<AgentCard>();
    expectTypeOf<OperationParams<"GetTask">>().toEqualTypeOf<{ id: string; historyLength?: number | undefined; tenant?: string | undefined }>();
    expectTypeOf<OperationParams<"CreateTaskPushNotificationConfig">["taskId"]>().toEqualTypeOf<string>();
  });
  test("seed formats and errors", () => {
    expectTypeOf<TaskRequest["operation"]>().toEqualTypeOf<string>();
    expectTypeOf<JsonRpcErrorObject["code"]>().toEqualTypeOf<number>();
  });
});
