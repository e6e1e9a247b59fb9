/**
 * The completion logic bash and zsh share, as POSIX shell functions generated from the spec:
 * `_runos_candidates <word>…` prints the candidates for the last word, given the words before it
 * (program name left out). The bash and zsh scripts only wrap it in their completion systems. Values
 * only the API knows (cluster and service ids) come from `$_runos_prog __complete '<list command>' --
 * <words>`, which answers from a short-lived cache and never prints an error.
 */
import { COMPLETE_COMMAND } from "./hints.ts";
import type { CompletionSpec } from "./spec.ts";

/** A `case` branch printing `words` (space-separated) for `pattern`. */
function branch(pattern: string, words: readonly string[]): string {
  return `    ${JSON.stringify(pattern)}) printf '%s\\n' ${JSON.stringify(words.join(" "))} ;;`;
}

/** One `case` branch per list command, its patterns joined: `"a|--cid"|"b|--cid") printf '%s\n' 'clusters list' ;;`. */
function sourceBranches(entries: readonly (readonly [pattern: string, source: string])[]): string[] {
  const bySource = new Map<string, string[]>();
  for (const [pattern, source] of entries) bySource.set(source, [...(bySource.get(source) ?? []), JSON.stringify(pattern)]);
  return [...bySource].map(([source, patterns]) => `    ${patterns.join("|")}) printf '%s\\n' ${JSON.stringify(source)} ;;`);
}

/** Which (command path, flag or position) pairs complete from which list command, for both script families. */
export function dynamicSlots(spec: CompletionSpec): { options: [string, string][]; args: [string, string][] } {
  const key = (path: readonly string[]) => path.join(" ");
  const options: [string, string][] = [];
  const args: [string, string][] = [];
  for (const node of spec.nodes) {
    for (const [flag, source] of node.optionSources) options.push([`${key(node.path)}|${flag}`, source]);
    node.argumentSources.forEach((source, index) => {
      if (source !== undefined) args.push([`${key(node.path)}|${index}`, source]);
    });
  }
  return { options, args };
}

function caseFunction(name: string, subject: string, branches: string[], after = ""): string {
  return [`${name}() {`, `  case ${subject} in`, ...branches, "  esac", ...(after === "" ? [] : [after]), "}"].join("\n");
}

/** The shared functions (`_runos_subs`, `_runos_flags`, …, `_runos_candidates`). */
export function posixFunctions(spec: CompletionSpec): string {
  const key = (path: readonly string[]) => path.join(" ");
  const subs = spec.nodes.filter((node) => node.subcommands.length > 0).map((node) => branch(key(node.path), node.subcommands));
  const flags = spec.nodes.map((node) => branch(key(node.path), [...node.flags, ...spec.globalFlags]));
  const valueFlags = spec.nodes.filter((node) => node.valueFlags.length > 0).map((node) => branch(key(node.path), node.valueFlags));
  const optionValues: string[] = [];
  for (const node of spec.nodes) for (const [flag, values] of node.optionValues) optionValues.push(branch(`${key(node.path)}|${flag}`, values));
  const globalValues = [...spec.globalOptionValues].map(([flag, values]) => branch(flag, values));
  const argumentValues: string[] = [];
  for (const node of spec.nodes) {
    node.argumentValues.forEach((values, index) => {
      if (values.length > 0) argumentValues.push(branch(`${key(node.path)}|${index}`, values));
    });
  }
  return [
    caseFunction("_runos_subs", '"$1"', subs),
    caseFunction("_runos_flags", '"$1"', flags),
    caseFunction("_runos_valueflags", '"$1"', valueFlags, `  printf '%s\\n' ${JSON.stringify(spec.globalValueFlags.join(" "))}`),
    [
      "_runos_optvals() {",
      '  case "$1|$2" in',
      ...optionValues,
      '    *) case "$2" in',
      ...globalValues.map((line) => `  ${line}`),
      "       esac ;;",
      "  esac",
      "}",
    ].join("\n"),
    caseFunction("_runos_argvals", '"$1|$2"', argumentValues),
    caseFunction("_runos_optsrc", '"$1|$2"', sourceBranches(dynamicSlots(spec).options)),
    caseFunction("_runos_argsrc", '"$1|$2"', sourceBranches(dynamicSlots(spec).args)),
    `# Ids and names from the API: $1 is the list command, the rest the words typed (for --cid, --profile, --sandbox).
_runos_dynamic() {
  [ -n "$1" ] || return 0
  "\${_runos_prog:-runos}" ${COMPLETE_COMMAND} "$1" -- "\${@:2}" 2>/dev/null | cut -f1
}`,
    `_runos_candidates() {
  local _runos_p="" _runos_pos=0 _runos_skip="" _runos_cur="" _runos_i=0 _runos_n=$# _runos_w _runos_s _runos_vf
  for _runos_w in "$@"; do
    _runos_i=$((_runos_i + 1))
    if [ "$_runos_i" -eq "$_runos_n" ]; then _runos_cur=$_runos_w; break; fi
    if [ -n "$_runos_skip" ]; then _runos_skip=""; continue; fi
    case "$_runos_w" in
      --*=*) ;;
      -*) # the command's value flags and the global ones come on two lines: one list of words
          _runos_vf=" $(_runos_valueflags "$_runos_p") "
          case "\${_runos_vf//$'\\n'/ }" in *" $_runos_w "*) _runos_skip=$_runos_w ;; esac ;;
      *) case " $(_runos_subs "$_runos_p") " in
           *" $_runos_w "*) _runos_p="\${_runos_p:+$_runos_p }$_runos_w"; _runos_pos=0 ;;
           *) _runos_pos=$((_runos_pos + 1)) ;;
         esac ;;
    esac
  done
  if [ -n "$_runos_skip" ]; then
    _runos_optvals "$_runos_p" "$_runos_skip"
    _runos_dynamic "$(_runos_optsrc "$_runos_p" "$_runos_skip")" "$@"
    return
  fi
  case "$_runos_cur" in -*) _runos_flags "$_runos_p"; return ;; esac
  _runos_s=$(_runos_subs "$_runos_p")
  if [ -n "$_runos_s" ]; then
    printf '%s\\n' "$_runos_s"
  else
    _runos_argvals "$_runos_p" "$_runos_pos"
    _runos_dynamic "$(_runos_argsrc "$_runos_p" "$_runos_pos")" "$@"
  fi
}`,
  ].join("\n\n");
}
