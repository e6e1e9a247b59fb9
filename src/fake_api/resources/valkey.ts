/** Valkey-only commands: `services/valkey/{id}/logs` (served by the newer catalog only). */
import { type CommandHandlers, serviceOf } from "../context.ts";

const LINES = [
  "Ready to accept connections tcp",
  "DB saved on disk",
  "Background saving started by pid 41",
  "Background saving terminated with success",
  "10 changes in 300 seconds. Saving...",
  "Connection accepted from 10.42.1.17:51312",
];

/** Valkey handlers. */
export const valkeyHandlers: CommandHandlers = {
  "services/valkey/{id}/logs": (ctx) => {
    const service = serviceOf(ctx, "valkey");
    const wanted = Number(ctx.input.lines ?? 100);
    const now = ctx.clock.now();
    const pods = Array.from({ length: service.replicas }, (_, index) => `valkey-${service.id}-${index}`);
    const count = Math.min(wanted, 24);
    return Array.from({ length: count }, (_, index) => ({
      timestamp: new Date(now - (count - index) * 30_000).toISOString(),
      pod: pods[index % pods.length],
      message: LINES[index % LINES.length],
    }));
  },
};
