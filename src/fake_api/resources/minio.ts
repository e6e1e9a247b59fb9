/** MinIO buckets: list, create (private or public), delete (empty unless `force`). */
import { type CallContext, type CommandHandlers, isoNow, serviceOf } from "../context.ts";
import { conflict, notFound, unprocessable } from "../envelope.ts";
import type { Bucket, Service } from "../state.ts";

function bucketsOf(ctx: CallContext): { service: Service; buckets: Bucket[] } {
  const service = serviceOf(ctx, "minio");
  service.buckets ??= [];
  return { service, buckets: service.buckets };
}

function bucketUrl(service: Service, bucket: Bucket): string {
  return `https://${service.host}/${bucket.name}`;
}

/** MinIO handlers. */
export const minioHandlers: CommandHandlers = {
  "services/minio/{id}/buckets": (ctx) => {
    const { service, buckets } = bucketsOf(ctx);
    return buckets.map((bucket) => ({ ...bucket, url: bucketUrl(service, bucket) }));
  },
  "services/minio/{id}/create-bucket": (ctx) => {
    const { service, buckets } = bucketsOf(ctx);
    const name = String(ctx.input.name);
    if (name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name)) throw unprocessable([{ name: "name", message: "must not contain '..' or look like an IP address" }]);
    if (buckets.some((bucket) => bucket.name === name)) throw conflict(`bucket "${name}" already exists in ${service.name}`);
    const bucket: Bucket = { name, access: ctx.input.access as Bucket["access"], objects: 0, sizeMb: 0, createdAt: isoNow(ctx) };
    buckets.push(bucket);
    return { ...bucket, url: bucketUrl(service, bucket) };
  },
  "services/minio/{id}/delete-bucket": (ctx) => {
    const { service, buckets } = bucketsOf(ctx);
    const name = ctx.params.bucket ?? "";
    const bucket = buckets.find((candidate) => candidate.name === name);
    if (bucket === undefined) throw notFound(`bucket "${name}" not found in ${service.name}`);
    if (bucket.objects > 0 && ctx.flags.force !== true) {
      throw conflict(`bucket "${name}" holds ${bucket.objects} objects; empty it first or pass the force flag`);
    }
    service.buckets = buckets.filter((candidate) => candidate !== bucket);
    return { name, deleted: true, objectsDeleted: bucket.objects };
  },
};
