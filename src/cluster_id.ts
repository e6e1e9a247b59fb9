/**
 * RunOS cluster ids (CIDs): what one looks like, said once for the API client, the settings, the MCP
 * tool schemas and their messages. RunOS's docs say "3-character", its CLI and API accept 3–16.
 * Wherever an id is taken, a cluster's name is too (cluster_names.ts turns it into the id).
 */
import { UsageError } from "./errors.ts";

/** 3–16 lower-case letters and digits, e.g. `i4y` or `mycluster2`. */
export const CLUSTER_ID_PATTERN = /^[a-z0-9]{3,16}$/;

/** The rule in words, for messages and tool descriptions. */
export const CLUSTER_ID_RULE = "3–16 lower-case letters and digits";

/** What a cluster id or name given by a person or a model may be: 1–128 characters, none a control character. */
export const CLUSTER_REFERENCE_PATTERN = /^[^\x00-\x1f\x7f]{1,128}$/;

/** {@link CLUSTER_REFERENCE_PATTERN} in words. */
export const CLUSTER_REFERENCE_RULE = "a cluster id or name (as `runos clusters list` shows them)";

/** The message for a cluster-scoped call without a cluster. */
export const CLUSTER_ID_REQUIRED =
  "cluster ID required: pass `cid` (or --cid), or set a default with RUNOS_CLUSTER_ID / `runos login --cluster <cid>`";

/** Check a cluster id or name given for later use (a default cluster); a UsageError otherwise. */
export function validateClusterReference(value: string): string {
  const trimmed = value.trim();
  if (!CLUSTER_REFERENCE_PATTERN.test(trimmed)) {
    throw new UsageError(`invalid cluster ${JSON.stringify(value)}: expected ${CLUSTER_REFERENCE_RULE}, without control characters`, {
      hint: "list your clusters with `runos clusters list`",
    });
  }
  return trimmed;
}

/** The id in what a model may send for a cluster: `i4y`, or `i4y (Production)` as clusters_list shows it. */
export function clusterIdIn(text: string): string | undefined {
  const match = text.trim().match(/^(\S+)(?:\s*\(.*\))?$/);
  return match !== null && CLUSTER_ID_PATTERN.test(match[1]!) ? match[1] : undefined;
}
