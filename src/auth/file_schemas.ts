/**
 * The shapes of runos's own files, `config.json` and `credentials.json` (zod). config.ts and
 * credentials.ts load this module only when such a file exists, so a start without them (an MCP
 * server run with RUNOS_API_KEY, or not signed in) loads no zod.
 */
import { z } from "zod";

/** One profile of config.json. */
export const ProfileSchema = z.looseObject({
  api_url: z.string().optional(),
  account_id: z.string().optional(),
  default_cluster_id: z.string().optional(),
});
/** One profile of config.json. */
export type Profile = z.infer<typeof ProfileSchema>;

/** The whole config.json. */
export const ConfigSchema = z.looseObject({
  current_profile: z.string().optional(),
  profiles: z.record(z.string(), ProfileSchema).default({}),
});
/** The whole config.json. */
export type Config = z.infer<typeof ConfigSchema>;

/** The whole credentials.json. */
export const CredentialsSchema = z.looseObject({
  profiles: z.record(z.string(), z.looseObject({ api_key: z.string().optional() })).default({}),
});
/** The whole credentials.json. */
export type Credentials = z.infer<typeof CredentialsSchema>;
