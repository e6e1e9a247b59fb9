/**
 * Continue: one YAML block per runos server, `.continue/mcpServers/<server>.yaml` in the project (or
 * `~/.continue/mcpServers/`), which Continue's IDE extensions load beside the user's config.yaml. The
 * files are runos's own (the user's config.yaml is never edited): each holds one server and starts
 * with runos's marker, so a rerun rewrites it whole and `--remove` deletes it; a file of that name
 * without the marker is someone else's and is refused untouched. Nothing is pre-approved: Continue's
 * tool policies match bare tool names, which the four runos servers share in part.
 */
import { toYaml } from "../cli/yaml.ts";
import { ConfigFileError } from "../errors.ts";
import { joinPath } from "./locations.ts";
import type { ServerEntry } from "./servers.ts";
import { type ClientWriter, type ConfigureInput, DELETE_FILE, type PlannedFile } from "./writer.ts";

/** The first line of every block runos writes: how a rerun knows the file is its own. */
export const CONTINUE_BLOCK_MARKER = "# Written by `runos mcp configure continue`: a rerun rewrites this file, `--remove` deletes it.";

/** The block file of one server. */
function blockPath(input: ConfigureInput, server: ServerEntry): string {
  const root = input.scope === "user" ? input.env.home : input.projectDir;
  return joinPath(input.env, root, ".continue", "mcpServers", `${server.name}.yaml`);
}

/** The block's text: Continue's block header and the one server (a command it starts). */
export function continueBlock(server: ServerEntry): string {
  if (server.transport !== "stdio") throw new Error("Continue blocks are written for command servers only");
  return `${CONTINUE_BLOCK_MARKER}\n${toYaml({
    name: server.name,
    version: "0.0.1",
    schema: "v1",
    mcpServers: [{ name: server.name, type: "stdio", command: server.command, args: [...server.args] }],
  })}`;
}

/**
 * The server in a block runos wrote (its marker on the first line), read back for `runos doctor`;
 * undefined for any other file. Reads only the shape {@link continueBlock} writes.
 */
export function readContinueBlock(text: string): { name: string; command: string; args: string[] } | undefined {
  if (!text.startsWith(CONTINUE_BLOCK_MARKER)) return undefined;
  const scalar = (raw: string): string => (raw.startsWith('"') ? JSON.parse(raw) as string : raw);
  let name: string | undefined;
  let command: string | undefined;
  const args: string[] = [];
  let inArgs = false;
  for (const line of text.split(/\r?\n/)) {
    const item = /^  - (.+)$/.exec(line);
    if (inArgs && item !== null) {
      args.push(scalar(item[1]!));
      continue;
    }
    inArgs = line === "  args:";
    name ??= /^- name: (.+)$/.exec(line)?.[1];
    command ??= /^  command: (.+)$/.exec(line)?.[1];
  }
  return name === undefined || command === undefined ? undefined : { name: scalar(name), command: scalar(command), args };
}

function blockFile(input: ConfigureInput, server: ServerEntry): PlannedFile {
  const path = blockPath(input, server);
  return {
    path,
    update(current) {
      if (current !== undefined && !current.startsWith(CONTINUE_BLOCK_MARKER)) {
        throw new ConfigFileError(path, `${path} is not a block runos wrote (its first line is not runos's marker)`, {
          hint: `move ${path} aside (or rename it) if runos should write the ${server.name} server there, then run the command again`,
        });
      }
      if (input.remove) return current === undefined ? undefined : DELETE_FILE;
      return continueBlock(server);
    },
  };
}

/** The Continue writer. */
export const continueWriter: ClientWriter = {
  id: "continue",
  displayName: "Continue",
  scopes: ["project", "user"],
  stdioOnly: {
    reason: "a URL server's token would have to come from a Continue secret (${{ secrets.NAME }}), which runos does not manage",
    hint: "drop --url to configure the servers Continue starts itself (they use your stored login)",
  },
  plan: (input) => input.servers.map((server) => blockFile(input, server)),
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    return [
      "Continue asks before every MCP tool call in its IDE extensions and in `cn`'s TUI; nothing is pre-approved, because its tool policies (~/.continue/permissions.yaml) match bare tool names, " +
      "which the runos servers share in part (manifest_update is on all four). `cn -p` (headless) runs every MCP tool without asking.",
      "Continue calls a tool by its bare name on the first connected server that lists it: with several runos servers, a tool they share (such as services_postgresql_exec-sql) goes to whichever connected server lists it first, so configure only the tier you need for such a tool.",
      "The `cn` CLI does not read .continue/mcpServers/: it reads ~/.continue/config.yaml (or --config), whose mcpServers list runos does not edit.",
    ];
  },
};
