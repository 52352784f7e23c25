import { z } from "zod";

/** A JSON-RPC id. A request without an id is a notification and gets no response. */
export const JsonRpcIdSchema = z.union([z.string(), z.number(), z.null()]);
export type JsonRpcId = z.output<typeof JsonRpcIdSchema>;

export const JsonRpcRequestSchema = z.object({
  jsonrpc: z.literal("2.0", { message: 'must be "2.0"' }),
  id: JsonRpcIdSchema.optional(),
  method: z.string(),
  // JSON-RPC allows by-position params; A2A methods take an object, checked per method.
  params: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())], { message: "must be an object" }).optional(),
});
export type JsonRpcRequest = z.output<typeof JsonRpcRequestSchema>;

export const JsonRpcErrorObjectSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional(),
});
export type JsonRpcErrorObject = z.output<typeof JsonRpcErrorObjectSchema>;

export const JsonRpcSuccessResponseSchema = z
  .object({ jsonrpc: z.literal("2.0"), id: JsonRpcIdSchema, result: z.unknown() })
  .refine((v) => "result" in v, { message: "must have a result", path: ["result"] });
export interface JsonRpcSuccessResponse<T = unknown> {
  jsonrpc: "2.0";
  id: JsonRpcId;
  result: T;
}

export const JsonRpcErrorResponseSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: JsonRpcIdSchema,
  error: JsonRpcErrorObjectSchema,
});
export type JsonRpcErrorResponse = z.output<typeof JsonRpcErrorResponseSchema>;

/** A response: exactly one of `result` and `error`. */
export const JsonRpcResponseSchema = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: JsonRpcIdSchema,
    result: z.unknown().optional(),
    error: JsonRpcErrorObjectSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const hasResult = "result" in v;
    const hasError = v.error !== undefined;
    if (hasResult && hasError) ctx.addIssue({ code: "custom", message: "must not have both result and error" });
    if (!hasResult && !hasError) ctx.addIssue({ code: "custom", message: "must have result or error" });
  })
  .transform((v) => v as JsonRpcResponse);
export type JsonRpcResponse<T = unknown> = JsonRpcSuccessResponse<T> | JsonRpcErrorResponse;

export function successResponse<T>(id: JsonRpcId, result: T): JsonRpcSuccessResponse<T> {
  return { jsonrpc: "2.0", id, result };
}

/** An error response; an `A2AProtocolError` is written as its plain JSON-RPC error object. */
export function errorResponse(id: JsonRpcId, error: JsonRpcErrorObject | { toJSON(): JsonRpcErrorObject }): JsonRpcErrorResponse {
  // Duck-typed so that this module needs no import of errors.ts (which imports its types).
  return { jsonrpc: "2.0", id, error: "toJSON" in error ? error.toJSON() : error };
}
