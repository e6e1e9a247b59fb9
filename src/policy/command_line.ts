/**
 * Command lines, as text and as argv arrays: the clients that take a password in a short flag
 * (CLIENT_COMMANDS: `redis-cli -a S`, `mysql -pS`, `sshpass -p S`, `curl -u bob:S`, `AUTH user S`), and
 * in argv form any flag naming a secret (`["--password", S]`) and a `[name, value]` pair whose name is
 * one. Long flags in text (`--password S`, `--token=S`) are ordinary pairs (redact_text.ts).
 */
import { isSensitiveKey, REDACTED } from "../redact/secret_keys.ts";
import { CLIENT_COMMANDS, type ClientCommand, isSecretFlag } from "../redact/secret_formats.ts";
import { argumentEnd, quotedRun } from "../redact/text_scan.ts";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

/** Commands by name as written (argv) and, unless case-sensitive, lower-cased (text). */
const BY_NAME = new Map<string, ClientCommand>();
const COMMANDS = new Map<string, ClientCommand>();
for (const command of CLIENT_COMMANDS) {
  for (const name of command.names) {
    BY_NAME.set(name, command);
    COMMANDS.set(command.caseSensitive ? name : name.toLowerCase(), command);
  }
}
const COMMAND = new RegExp(
  `(?<![\\w.-])(${[...COMMANDS.keys()].map(escapeRegExp).join("|")})(?![\\w.-])`,
  "gi",
);

/**
 * Command lines of clients that take a password in a short flag (`redis-cli -a S`, `mysql -pS`,
 * `curl -u bob:S`, `AUTH user S`), up to the end of the command (a newline, `|`, `;`, `&`).
 */
export function redactCommandLines(text: string): string {
  let out = "";
  let from = 0;
  COMMAND.lastIndex = 0;
  for (let match = COMMAND.exec(text); match !== null; match = COMMAND.exec(text)) {
    const command = COMMANDS.get(match[1]!) ?? COMMANDS.get(match[1]!.toLowerCase());
    if (command === undefined || (command.caseSensitive && !COMMANDS.has(match[1]!))) continue;
    let i = match.index + match[0].length;
    let expecting: "secret" | "userPassword" | undefined = command.allArguments ? "secret" : undefined;
    for (let count = 0; count < 64; count++) {
      while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
      if (i >= text.length || "\n\r|;&`".includes(text[i]!)) break;
      const quoted = quotedRun(text, i);
      const valueStart = quoted === undefined ? i : quoted.open;
      const valueEnd = quoted === undefined ? argumentEnd(text, i) : quoted.close === -1 ? text.length : quoted.close;
      const end = quoted === undefined ? valueEnd : quoted.end;
      if (end === i) break;
      const argument = text.slice(valueStart, valueEnd);
      let secretFrom = -1;
      if (expecting === "secret") {
        secretFrom = valueStart;
        if (!command.allArguments) expecting = undefined;
      } else if (expecting === "userPassword") {
        if (argument.includes(":")) secretFrom = valueStart + argument.indexOf(":") + 1;
        expecting = undefined;
      } else if (quoted === undefined) {
        const glued = command.attached?.find((flag) => argument.startsWith(flag) && argument.length > flag.length);
        const gluedUser = command.userPassword?.find((flag) => argument.startsWith(flag) && argument.length > flag.length && argument.includes(":"));
        if (command.flags?.includes(argument)) expecting = "secret";
        else if (command.userPassword?.includes(argument)) expecting = "userPassword";
        else if (glued !== undefined) secretFrom = valueStart + glued.length;
        else if (gluedUser !== undefined) secretFrom = valueStart + argument.indexOf(":") + 1;
      }
      if (secretFrom !== -1 && secretFrom >= from && secretFrom < valueEnd && text.slice(secretFrom, valueEnd) !== REDACTED) {
        out += text.slice(from, secretFrom) + REDACTED;
        from = valueEnd;
      }
      i = end;
    }
    COMMAND.lastIndex = Math.max(COMMAND.lastIndex, i);
  }
  return from === 0 ? text : out + text.slice(from);
}


/** The client command an argv array runs (`["/usr/bin/redis-cli", …]`), if it is one we know. */
function argvCommand(first: string): ClientCommand | undefined {
  return first.length > 256 ? undefined : BY_NAME.get(first.slice(first.lastIndexOf("/") + 1));
}

/**
 * Positions of an array of strings that hold a secret: the second of a `[name, value]` pair whose
 * name is a secret, the argument after a flag naming one, a client's password flags. `replaced` gets
 * the elements that keep part of their text (`-p[redacted]`, `bob:[redacted]`).
 */
export function argvSecrets(items: readonly unknown[], first: string, replaced: Map<number, string>): Set<number> | undefined {
  let tainted: Set<number> | undefined;
  const taint = (index: number) => (tainted ??= new Set()).add(index);
  if (items.length === 2 && typeof items[1] !== "object" && isSensitiveKey(first)) taint(1);
  const command = argvCommand(first);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== "string" || item.length < 2 || item.charCodeAt(0) !== 45 /* - */) continue;
    if (i + 1 < items.length && isSecretFlag(item)) taint(i + 1);
    if (command === undefined) continue;
    if (command.flags?.includes(item) && i + 1 < items.length) taint(i + 1);
    const glued = command.attached?.find((flag) => item.startsWith(flag) && item.length > flag.length);
    if (glued !== undefined) replaced.set(i, glued + REDACTED);
    const next = items[i + 1];
    if (command.userPassword?.includes(item) && typeof next === "string" && next.includes(":")) {
      replaced.set(i + 1, `${next.slice(0, next.indexOf(":") + 1)}${REDACTED}`);
    }
  }
  if (command?.allArguments) for (let i = 1; i < items.length; i++) taint(i);
  return tainted;
}
