/**
 * Examples in help, as gh and kubectl show them: every command group, and every verb an example runs,
 * ends its help with command lines to copy. The usage examples of RunOS's MCP page ("Create a new
 * Valkey cache called session-store with 2 replicas") are here as the commands that do the same from
 * the shell, quoted above them. Examples of the catalog's verbs appear only when the catalog in use
 * has the verb and every flag they pass; a group no example covers (a newer catalog's) gets examples
 * made from its own verbs.
 */
import type { Command as PlainCommand } from "commander";

/** One example: the command line as typed, and what it does. */
export interface Example {
  readonly line: string;
  /** Said above the line as a comment; a request of RunOS's docs is quoted. */
  readonly note: string;
}

/** The usage examples of RunOS's MCP page, as the requests people make of an assistant. */
export const SEED_REQUESTS = {
  servicesInProduction: "What services are running in my production cluster?",
  connectionString: "Give me the PostgreSQL connection string for the users-db service",
  createCache: "Create a new Valkey cache called session-store with 2 replicas",
  nodeStatus: "Show me the status of all nodes in cluster i4y",
  postCounts: "Show me a database view of all users and the count of their posts",
  publicBucket: "Create a new bucket in my object store that can be accessed by the public",
  databaseAndUser: "Create a new database and user on my PostgreSQL instance",
} as const;

const quoted = (request: string) => `"${request}"`;

/**
 * Examples by help page: the words after `runos` ("" is the root). A line may run another page's
 * command: a verb's help also shows every example, on any page, that runs it.
 */
export const EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  "": [
    { line: "runos login", note: "sign in: asks for the account id, then the token" },
    { line: "runos clusters list", note: "your clusters" },
    { line: "runos services list --cid production", note: quoted(SEED_REQUESTS.servicesInProduction) },
    { line: "runos mcp configure claude", note: "let Claude Code operate RunOS through the four MCP servers" },
    { line: "runos clusters list --sandbox", note: "try anything against the sandbox: no account needed" },
  ],
  "login": [
    { line: "runos login", note: "on a terminal: asks for the account id, then the token (hidden)" },
    { line: "runos login --with-token --account-id acme < token-file", note: "in a script: the token from standard input" },
    { line: "runos --profile staging login --cluster staging", note: "a second profile, with its default cluster" },
  ],
  "profiles": [
    { line: "runos profiles", note: "list the profiles; * marks the current one" },
    { line: "runos profiles use staging", note: "make staging the current profile" },
    { line: "runos --profile staging clusters list", note: "use another profile for one command" },
  ],
  "config": [
    { line: "runos config get", note: "the current profile's settings" },
    { line: "runos config set cid production", note: "the default cluster, by name or id" },
    { line: "runos config unset cid", note: "no default cluster" },
  ],
  "manifest": [
    { line: "runos manifest update", note: "fetch the newest command catalog and say what changed" },
    { line: "runos manifest list valkey", note: "catalog commands whose path contains valkey" },
    { line: "runos manifest list --tier read", note: "what the read-only MCP server may call" },
    { line: "runos manifest show services/valkey/add", note: "one command as the catalog describes it" },
  ],
  "mcp": [
    { line: "runos mcp configure claude", note: "write .mcp.json and .claude/settings.json for Claude Code" },
    { line: "runos mcp tools read", note: "the tools the read-only server offers" },
    { line: "runos mcp call read clusters_list --sandbox", note: "call one tool as a model would" },
    { line: "runos mcp serve read", note: "what an assistant runs (speaks JSON-RPC on stdin and stdout)" },
  ],
  "mcp configure": [
    { line: "runos mcp configure codex --dry-run", note: "show the change to .codex/config.toml; write nothing" },
    { line: "runos mcp configure roo --tiers read,write", note: "only the read and write servers" },
    { line: "runos mcp configure claude --remove", note: "take runos's servers out again" },
  ],
  "mcp call": [
    { line: "runos mcp call read nodes_list --args '{\"cid\":\"production\"}' --sandbox", note: "a tool with arguments, as JSON" },
  ],
  "doctor": [
    { line: "runos doctor", note: "sign-in, API, catalog and your assistants' configs; exit 0 only when healthy" },
    { line: "runos doctor --dir ~/code/app --json", note: "another project, as one JSON object" },
  ],
  "completion": [
    { line: "runos completion bash", note: "load it with: source <(runos completion bash)" },
    { line: "runos completion zsh", note: 'save it with: runos completion zsh > "${fpath[1]}/_runos"' },
  ],
  "follow": [
    { line: "runos follow 0b7f4d2e-5c1a-4f0e-9a51-3f2b8c6d1e90", note: "wait for a job an earlier command started" },
  ],
  "sandbox": [
    { line: "runos sandbox --port 8787", note: "the fake RunOS API over HTTP on 127.0.0.1" },
    { line: "runos sandbox --reset", note: "start the shared sandbox again from the demo data" },
  ],
  "audit": [
    { line: "runos audit --tail 50", note: "the MCP servers' last 50 calls" },
    { line: "runos audit --json", note: "as JSON lines, for tools" },
  ],
  "account": [
    { line: "runos account show", note: "the account you are signed in to" },
  ],
  "account api-keys": [
    { line: "runos account api-keys list", note: "your API keys" },
    { line: "runos account api-keys add --name release-bot --expires-at 2030-01-01T00:00:00Z", note: "a key for CI; its token is shown once" },
  ],
  "clusters": [
    { line: "runos clusters list", note: "every cluster of the account" },
    { line: "runos clusters show production", note: "one cluster, by name or id" },
  ],
  "nodes": [
    { line: "runos nodes list --cid i4y", note: quoted(SEED_REQUESTS.nodeStatus) },
    { line: "runos nodes list --cid production --state provisioning", note: "only the nodes still provisioning" },
  ],
  "services": [
    { line: "runos services list --cid production", note: quoted(SEED_REQUESTS.servicesInProduction) },
    { line: "runos services types", note: "the service types RunOS offers" },
  ],
  "services postgresql": [
    { line: "runos services postgresql credentials users-db --cid production", note: quoted(SEED_REQUESTS.connectionString) },
    {
      line: "runos services postgresql exec-sql users-db --cid production --query 'SELECT u.name, count(p.id) AS posts FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.name'",
      note: quoted(SEED_REQUESTS.postCounts),
    },
    { line: "runos services postgresql create-database users-db --name inventory --cid production", note: quoted(SEED_REQUESTS.databaseAndUser) },
    { line: "runos services postgresql create-user users-db --username inventory_app --database inventory --cid production", note: "…and its user (the password is shown once)" },
  ],
  "services valkey": [
    { line: "runos services valkey add --name session-store --replicas 2 --cid production --follow", note: quoted(SEED_REQUESTS.createCache) },
    { line: "runos services valkey list --cid production", note: "the caches of a cluster" },
  ],
  "services minio": [
    { line: "runos services minio create-bucket assets --name public-downloads --access public-read --cid production", note: quoted(SEED_REQUESTS.publicBucket) },
    { line: "runos services minio buckets assets --cid production", note: "the buckets of an object store" },
  ],
  "apps": [
    { line: "runos apps list --cid production", note: "the applications of a cluster" },
    { line: "runos apps add --name blog --repository https://github.com/acme/blog --cid production --follow", note: "deploy a new application from its repository" },
    { line: "runos apps deploy web --cid production --follow", note: "deploy the branch head again" },
  ],
  "apps env-vars": [
    { line: "runos apps env-vars list web --cid production", note: "an application's environment" },
    { line: "runos apps env-vars set web --vars LOG_LEVEL=debug,FEATURE_X=on --cid production", note: "set two variables" },
  ],
  "apps secrets": [
    { line: "runos apps secrets list web --cid production", note: "secret names (never values)" },
    { line: "printf %s \"$DB_URL\" | runos apps secrets set web --name DATABASE_URL --value - --cid production", note: "a secret from standard input, kept out of shell history" },
  ],
  "jobs": [
    { line: "runos jobs list --status running", note: "jobs still running" },
    { line: "runos follow 0b7f4d2e-5c1a-4f0e-9a51-3f2b8c6d1e90", note: "wait for one to end" },
  ],
};

/** Shell words of `line` (quotes honoured), from the `runos` word up to a pipe or a redirection. */
export function runosWords(line: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current = (current ?? "") + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      current ??= "";
    } else if (char === " ") {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else {
      current = (current ?? "") + char;
    }
  }
  if (current !== undefined) words.push(current);
  const start = words.indexOf("runos");
  if (start < 0) return [];
  const rest = words.slice(start + 1);
  const end = rest.findIndex((word) => word === "|" || word === "<" || word === ">" || word === "&&");
  return end < 0 ? rest : rest.slice(0, end);
}

/** What an example runs: the command its words reach, what is left, and flags the command does not know. */
export interface ResolvedExample {
  readonly command: PlainCommand;
  /** Words from the root to the command (`["services", "valkey", "add"]`). */
  readonly path: readonly string[];
  /** The positional arguments after it. */
  readonly operands: readonly string[];
  /** Flags neither the command nor the root's global options declare. */
  readonly unknownFlags: readonly string[];
}

/** Follow `line`'s words down the command tree of `program`. */
export function resolveExample(program: PlainCommand, line: string): ResolvedExample {
  let command = program;
  const path: string[] = [];
  const operands: string[] = [];
  const unknownFlags: string[] = [];
  let skipValue = false;
  for (const word of runosWords(line)) {
    if (skipValue) {
      skipValue = false;
    } else if (word.startsWith("-")) {
      const flag = word.split("=")[0]!;
      const option = [...command.options, ...program.options].find((candidate) => candidate.long === flag || candidate.short === flag);
      if (option === undefined && flag !== "--help" && flag !== "-h") unknownFlags.push(flag);
      skipValue = option !== undefined && (option.required || option.optional) && !word.includes("=");
    } else {
      const sub = operands.length === 0 ? command.commands.find((candidate) => candidate.name() === word) : undefined;
      if (sub === undefined) {
        operands.push(word);
      } else {
        command = sub;
        path.push(word);
      }
    }
  }
  return { command, path, operands, unknownFlags };
}

/**
 * Whether `line` runs a command of `program` as written: every flag known, and a group only when
 * named alone (a catalog without the verb leaves `services valkey add` at the group: not shown).
 */
export function runsAsWritten(program: PlainCommand, line: string): boolean {
  const resolved = resolveExample(program, line);
  return resolved.path.length > 0 && resolved.unknownFlags.length === 0 && (resolved.command.commands.length === 0 || resolved.operands.length === 0);
}

/** The examples that run as written, by the command they run. */
function examplesByCommand(program: PlainCommand): Map<PlainCommand, Example[]> {
  const index = new Map<PlainCommand, Example[]>();
  for (const example of Object.values(EXAMPLES).flat()) {
    if (!runsAsWritten(program, example.line)) continue;
    const { command } = resolveExample(program, example.line);
    const known = index.get(command) ?? [];
    if (!known.some((other) => other.line === example.line)) index.set(command, [...known, example]);
  }
  return index;
}

/**
 * The examples of one help page: its own, then those of other pages that run its command; a group
 * that has none gets examples made from its verbs.
 */
export function examplesFor(program: PlainCommand, command: PlainCommand, path: readonly string[], index = examplesByCommand(program)): Example[] {
  const all: Example[] = [];
  for (const example of [...(EXAMPLES[path.join(" ")] ?? []).filter((own) => runsAsWritten(program, own.line)), ...(index.get(command) ?? [])]) {
    if (!all.some((other) => other.line === example.line)) all.push(example);
  }
  if (all.length > 0 || command.commands.length === 0) return all;
  return madeFor(command, path);
}

/** Examples made from a group's own verbs: its `list` and `show`, else its first verb. */
function madeFor(group: PlainCommand, path: readonly string[]): Example[] {
  const leaves = group.commands.filter((sub) => sub.name() !== "help");
  const picked = ["list", "show"].map((name) => leaves.find((sub) => sub.name() === name)).filter((sub): sub is PlainCommand => sub !== undefined);
  return (picked.length > 0 ? picked : leaves.slice(0, 1)).map((sub) => {
    const args = sub.registeredArguments.filter((argument) => argument.required).map((argument) => `<${argument.name()}>`);
    return { line: ["runos", ...path, sub.name(), ...args].join(" "), note: sub.description().split(/(?<=[.;])\s/)[0] ?? sub.name() };
  });
}

/** The help section for `examples`: each note as a comment, then its line. */
export function examplesSection(examples: readonly Example[]): string {
  if (examples.length === 0) return "";
  return `\nExamples:\n${examples.map((example) => `  # ${example.note}\n  ${example.line}`).join("\n\n")}`;
}

/** Add an Examples section to the help of every command that has examples. */
export function addExamples(program: PlainCommand): void {
  const index = examplesByCommand(program);
  const visit = (command: PlainCommand, path: readonly string[]) => {
    const section = examplesSection(examplesFor(program, command, path, index));
    if (section !== "") command.addHelpText("after", section);
    for (const sub of command.commands) if (sub.name() !== "help") visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
}
