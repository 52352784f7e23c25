/** Where a command writes: results to `stdout`, progress and status lines to `stderr`. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}
