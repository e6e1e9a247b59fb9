/**
 * A new release of a catalog, for the tests of what a catalog update changes: version 2.0.0, and on
 * top of the catalog given (the baseline or fixtures/catalog/manifest.json, which both have these
 * commands) exactly these edits, one of each kind a person must be told about:
 * - read:  `regions/list` added; `services/minio/{id}/buckets` removed; `services/valkey/{id}/show`
 *          moved to `/:aid/:cid/valkey/:id` (same method, new path);
 * - write: `services/valkey/{id}/restart` added (POST); `apps/{id}/deploy` now PUT (same path);
 * - every tier: `clusters/list` gets a new description, which is not a change of route.
 */
import type { Catalog, Command } from "../../src/catalog/schema.ts";

/** The version {@link nextRelease} gives. */
export const NEXT_RELEASE_VERSION = "2.0.0";

/** `catalog` with the edits above. */
export function nextRelease(catalog: Catalog): Catalog {
  const edited = (command: Command): Command => {
    switch (command.command) {
      case "services/valkey/{id}/show":
        return { ...command, endpoint: "/:aid/:cid/valkey/:id" };
      case "apps/{id}/deploy":
        return { ...command, method: "PUT" };
      case "clusters/list":
        return { ...command, description: `${command.description} Now with regions.` };
      default:
        return command;
    }
  };
  const kept = catalog.commands.filter((command) => command.command !== "services/minio/{id}/buckets").map(edited);
  const restart = kept.find((command) => command.command === "services/valkey/{id}/update")!;
  const regions = kept.find((command) => command.command === "clusters/list")!;
  return {
    ...catalog,
    version: NEXT_RELEASE_VERSION,
    commands: [
      ...kept,
      {
        ...restart,
        command: "services/valkey/{id}/restart",
        description: "Restart a Valkey service.",
        endpoint: "/:aid/:cid/services/valkey/:id/restart",
        method: "POST",
        input: { fields: [], flags: [] },
      },
      { ...regions, command: "regions/list", description: "List regions.", endpoint: "/:aid/regions" },
    ],
  };
}
