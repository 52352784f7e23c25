/**
 * How the user runs this CLI, for the commands that hints print: `pnpm exec a2a` inside
 * a pnpm workspace (where a bare `a2a` is not on PATH), `npx a2a` under npm exec, else
 * `a2a`. Set once per `main()` from its environment.
 */
let invocation = "a2a";

export function setInvocation(env: Record<string, string | undefined>): void {
  const agent = env.npm_config_user_agent ?? "";
  if (env.npm_command === "exec" && agent.startsWith("pnpm/")) invocation = "pnpm exec a2a";
  else if (env.npm_command === "exec" && agent.startsWith("npm/")) invocation = "npx a2a";
  else invocation = "a2a";
}

/** `a2a <rest>` as the user should type it here, e.g. `a2a("agents")`. */
export function a2a(rest: string): string {
  return `${invocation} ${rest}`;
}
