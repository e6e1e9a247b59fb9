/**
 * A background job as RunOS reports it (zod; unknown keys kept). jobs.ts loads it with the first
 * poll, so that finding a catalog's job command loads no zod.
 */
import { z } from "zod";

/** A job as RunOS reports it; unknown keys kept. */
export const JobSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  status: z.string(),
  progress: z.number().nullish(),
  currentStep: z.string().nullish(),
  error: z.unknown().optional(),
  result: z.unknown().optional(),
});
/** A job as RunOS reports it. */
export type Job = z.infer<typeof JobSchema>;
