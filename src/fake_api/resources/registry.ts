/** Every implemented catalog command, by command path: the union of the resource families. */
import type { CommandHandlers } from "../context.ts";
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
