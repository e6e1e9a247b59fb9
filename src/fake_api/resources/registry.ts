/**
 * Every implemented catalog command, by command path: the union of the resource families; and how a
 * served command finds its handler (in depth under our name or RunOS's, else the generic one).
 */
import type { CommandHandler, CommandHandlers } from "../context.ts";
import { genericHandler } from "./generic.ts";
import { apiKeyHandlers } from "./api_keys.ts";
import { appConfigHandlers } from "./app_config.ts";
import { appHandlers } from "./apps.ts";
import { clusterHandlers } from "./clusters.ts";
import { jobHandlers } from "./jobs.ts";
import { minioHandlers } from "./minio.ts";
import { nodeHandlers } from "./nodes.ts";
import { postgresqlHandlers } from "./postgresql.ts";
import { serviceHandlers } from "./services.ts";
import { valkeyHandlers } from "./valkey.ts";

/** Handlers of every command the fake API implements. */
export const COMMAND_HANDLERS: Readonly<CommandHandlers> = {
  ...clusterHandlers,
  ...nodeHandlers,
  ...serviceHandlers,
  ...postgresqlHandlers,
  ...valkeyHandlers,
  ...minioHandlers,
  ...appHandlers,
  ...appConfigHandlers,
  ...apiKeyHandlers,
  ...jobHandlers,
};

/** How a served command is answered: in depth, or by the generic handler. */
export type HandlerKind = "deep" | "generic";

/**
 * The handler of a served command: its in-depth handler (the baseline names commands as RunOS does),
 * else the generic handler when `allowGeneric` (a chosen catalog is served), else none.
 */
export function handlerFor(command: string, allowGeneric: boolean): { kind: HandlerKind; handle: CommandHandler } | undefined {
  const deep = Object.hasOwn(COMMAND_HANDLERS, command) ? COMMAND_HANDLERS[command] : undefined;
  if (deep !== undefined) return { kind: "deep", handle: deep };
  return allowGeneric ? { kind: "generic", handle: genericHandler } : undefined;
}
