import type { Command } from "../command.js";
import { UsageError } from "../errors.js";
import { GLOBAL_OPTIONS } from "../global-options.js";

const SHELLS = ["bash", "zsh"] as const;

/** `"-s, --skill <id>"` → `["-s", "--skill"]`, and whether it takes a value. */
function parseFlags(flags: string): { names: string[]; takesValue: boolean } {
  return { names: flags.split(/[ ,]+/).filter((f) => f.startsWith("-")), takesValue: /[<[]/.test(flags) };
}

/**
 * A bash completion function for `commands`: words are the command names of the
 * level reached so far, then that command's long options (and the global ones).
 */
export function bashCompletion(commands: readonly Command[]): string {
  const globals = GLOBAL_OPTIONS.map((o) => parseFlags(o.flags));
  const longOf = (specs: { names: string[] }[]) => specs.flatMap((s) => s.names.filter((n) => n.startsWith("--")));
  const valueFlags = new Set(globals.filter((g) => g.takesValue).flatMap((g) => g.names));
  const levels = new Map<string, Set<string>>([["", new Set()]]);
  const leaves = new Map<string, string[]>();
  for (const command of commands) {
    const words = command.name.split(" ");
    words.forEach((word, i) => {
      const parent = words.slice(0, i).join(" ");
      const level = levels.get(parent) ?? new Set<string>();
      level.add(word);
      levels.set(parent, level);
    });
    const options = command.options.map((o) => parseFlags(o.flags));
    for (const o of options) if (o.takesValue) o.names.forEach((n) => valueFlags.add(n));
    leaves.set(command.name, [...longOf(options), "--help"]);
  }
  const globalWords = [...longOf(globals), "--help"].join(" ");
  const cases = [...new Set([...levels.keys(), ...leaves.keys()])].map((path) => {
    const words = [...(levels.get(path) ?? []), ...(leaves.get(path) ?? [])];
    if (path === "") words.push("--version");
    return `    "${path}") words="${words.join(" ")} ${globalWords}" ;;`;
  });
  return `# a2a completion for bash; load it with: eval "$(a2a completion bash)"
_a2a_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" skip="" word words i
  local paths=" ${[...levels.keys(), ...leaves.keys()].filter(Boolean).map((p) => p.replaceAll(" ", "_")).join(" ")} "
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -n $skip ]]; then skip=""; continue; fi
    case " ${[...valueFlags].join(" ")} " in *" $word "*) skip=1; continue ;; esac
    [[ $word == -* ]] && continue
    local next="\${path:+\${path}_}$word"
    [[ $paths == *" $next "* ]] && path="$next"
  done
  case "\${path//_/ }" in
${cases.join("\n")}
    *) words="${globalWords}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _a2a_completion a2a
`;
}

export const completionCommand: Command = {
  name: "completion",
  summary: "print a shell completion script (bash or zsh)",
  arguments: ["<shell>"],
  description: `Prints a script that completes a2a's commands and options in your shell. Load it in
the current shell with eval, or add that line to ~/.bashrc or ~/.zshrc.`,
  options: [],
  examples: ['eval "$(a2a completion bash)"', 'eval "$(a2a completion zsh)"      # in ~/.zshrc'],
  async run(context) {
    const [shell] = context.positionals as [string];
    if (!SHELLS.includes(shell as (typeof SHELLS)[number])) {
      throw new UsageError(`completion: unknown shell ${JSON.stringify(shell)}; use one of ${SHELLS.join(", ")}.`, context.name);
    }
    const script = bashCompletion(context.commands);
    // zsh runs bash completion functions through bashcompinit.
    context.io.stdout.write(shell === "zsh" ? `autoload -U +X bashcompinit && bashcompinit\n${script}` : script);
    return 0;
  },
};
