/**
 * `runos completion bash|zsh|fish`: the scripts, written from the completion spec of the catalog in
 * use (so they cover every catalog verb and its flags, `mcp configure`'s clients and the tiers).
 * Regenerate them after `runos manifest update` brings new commands.
 */
import { COMPLETE_COMMAND } from "./hints.ts";
import { dynamicSlots, posixFunctions } from "./posix.ts";
import type { CompletionSpec } from "./spec.ts";

/** The shells runos writes completion for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
/** One of them. */
export type Shell = (typeof SHELLS)[number];

/** The completion script for `shell`. */
export function completionScript(shell: Shell, spec: CompletionSpec, catalogVersion: string): string {
  switch (shell) {
    case "bash":
      return bashScript(spec, catalogVersion);
    case "zsh":
      return zshScript(spec, catalogVersion);
    case "fish":
      return fishScript(spec, catalogVersion);
  }
}

function header(shell: Shell, catalogVersion: string, install: string[]): string {
  return [
    `# runos completion for ${shell}, generated for catalog version ${catalogVersion}`,
    "# (run it again after `runos manifest update` brings new commands).",
    ...install.map((line) => `# ${line}`),
  ].join("\n");
}

function bashScript(spec: CompletionSpec, catalogVersion: string): string {
  return `${header("bash", catalogVersion, ["Load it now:   source <(runos completion bash)", "Or for good:   runos completion bash > ~/.local/share/bash-completion/completions/runos"])}

${posixFunctions(spec)}

_runos() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" _runos_prog="\${COMP_WORDS[0]/#\\~/$HOME}"
  COMPREPLY=( $(compgen -W "$(_runos_candidates "\${COMP_WORDS[@]:1:COMP_CWORD}")" -- "$cur") )
}
complete -o bashdefault -o default -F _runos runos
`;
}

function zshScript(spec: CompletionSpec, catalogVersion: string): string {
  return `#compdef runos
${header("zsh", catalogVersion, ["Load it now (after compinit):   source <(runos completion zsh)", 'Or for good:   runos completion zsh > "\${fpath[1]}/_runos"'])}

${posixFunctions(spec)}

_runos() {
  local -a candidates
  local _runos_prog="\${words[1]/#\\~/$HOME}"
  candidates=( \${=\$(_runos_candidates "\${(@)words[2,CURRENT]}")} )
  if (( \${#candidates} )); then
    compadd -a candidates
  else
    _files
  fi
}

if (( \$+functions[compdef] )); then
  compdef _runos runos
fi
`;
}

/** One fish `case` per list command, listing every slot it completes: `case 'a|--cid' 'b|--cid'`. */
function fishSourceBranches(entries: readonly (readonly [pattern: string, source: string])[]): string[] {
  const bySource = new Map<string, string[]>();
  for (const [pattern, source] of entries) bySource.set(source, [...(bySource.get(source) ?? []), fishQuote(pattern)]);
  return [...bySource].map(([source, patterns]) => `    case ${patterns.join(" ")}\n      printf '%s\\n' ${fishQuote(source)}`);
}

/** A fish `switch` branch printing `words`, one per line. */
function fishBranch(pattern: string, words: readonly string[]): string {
  return `    case ${fishQuote(pattern)}\n      printf '%s\\n' ${words.map(fishQuote).join(" ")}`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function fishSwitch(name: string, subject: string, branches: string[], after: string[] = []): string {
  return [`function ${name}`, `  switch ${subject}`, ...branches, "  end", ...after, "end"].join("\n");
}

function fishScript(spec: CompletionSpec, catalogVersion: string): string {
  const key = (path: readonly string[]) => path.join(" ");
  const subs = spec.nodes.filter((node) => node.subcommands.length > 0).map((node) => fishBranch(key(node.path), node.subcommands));
  const flags = spec.nodes.map((node) => fishBranch(key(node.path), [...node.flags, ...spec.globalFlags]));
  const valueFlags = spec.nodes.filter((node) => node.valueFlags.length > 0).map((node) => fishBranch(key(node.path), node.valueFlags));
  const optionValues: string[] = [];
  for (const node of spec.nodes) for (const [flag, values] of node.optionValues) optionValues.push(fishBranch(`${key(node.path)}|${flag}`, values));
  const globalValues = [...spec.globalOptionValues].map(([flag, values]) => fishBranch(flag, values));
  const argumentValues: string[] = [];
  for (const node of spec.nodes) {
    node.argumentValues.forEach((values, index) => {
      if (values.length > 0) argumentValues.push(fishBranch(`${key(node.path)}|${index}`, values));
    });
  }
  return `${header("fish", catalogVersion, ["Load it now:   runos completion fish | source", "Or for good:   runos completion fish > ~/.config/fish/completions/runos.fish"])}

${fishSwitch("__runos_subs", '"$argv[1]"', subs)}

${fishSwitch("__runos_flags", '"$argv[1]"', flags)}

${fishSwitch("__runos_valueflags", '"$argv[1]"', valueFlags, [`  printf '%s\\n' ${spec.globalValueFlags.map(fishQuote).join(" ")}`])}

function __runos_optvals
  switch "$argv[1]|$argv[2]"
${optionValues.join("\n")}
    case '*'
      switch "$argv[2]"
${globalValues.map((line) => line.replace(/^/gm, "    ")).join("\n")}
      end
  end
end

${fishSwitch("__runos_argvals", '"$argv[1]|$argv[2]"', argumentValues)}

${fishSwitch("__runos_optsrc", '"$argv[1]|$argv[2]"', fishSourceBranches(dynamicSlots(spec).options))}

${fishSwitch("__runos_argsrc", '"$argv[1]|$argv[2]"', fishSourceBranches(dynamicSlots(spec).args))}

# Ids and names from the API, with their descriptions: $argv[1] is the list command, the rest the words typed.
function __runos_dynamic
  test -n "$argv[1]"; or return 0
  set -l prog (commandline -opc)[1]
  test -n "$prog"; or set prog runos
  $prog ${COMPLETE_COMMAND} $argv[1] -- $argv[2..-1] 2>/dev/null
end

function __runos_candidates
  set -l words (commandline -opc)
  set -e words[1]
  set -l cur (commandline -ct)
  set -l p ''
  set -l pos 0
  set -l skip ''
  for w in $words
    if test -n "$skip"
      set skip ''
      continue
    end
    switch $w
      case '--*=*'
      case '-*'
        if contains -- $w (__runos_valueflags "$p")
          set skip $w
        end
      case '*'
        if contains -- $w (__runos_subs "$p")
          if test -z "$p"
            set p $w
          else
            set p "$p $w"
          end
          set pos 0
        else
          set pos (math $pos + 1)
        end
    end
  end
  if test -n "$skip"
    set -l source (__runos_optsrc "$p" $skip)
    set -l values (__runos_optvals "$p" $skip) (__runos_dynamic "$source" $words $cur)
    if test (count $values) -gt 0
      printf '%s\\n' $values
    else
      __fish_complete_path $cur
    end
    return
  end
  if string match -q -- '-*' $cur
    __runos_flags "$p"
    return
  end
  set -l s (__runos_subs "$p")
  if test (count $s) -gt 0
    printf '%s\\n' $s
    return
  end
  set -l source (__runos_argsrc "$p" $pos)
  set -l values (__runos_argvals "$p" $pos) (__runos_dynamic "$source" $words $cur)
  if test (count $values) -gt 0
    printf '%s\\n' $values
  else
    __fish_complete_path $cur
  end
end

complete -c runos -f -a '(__runos_candidates)'
`;
}
