import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiClient, ApiRequest } from "../../src/api/client.ts";
import { findJobShow, followJob, type JobProgress, jobPath } from "../../src/api/jobs.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations, toOperation } from "../../src/catalog/operation.ts";
import { CommandSchema } from "../../src/catalog/schema.ts";

/** The baseline's `jobs/{id}/show` (`GET /:aid/jobs/:id`), which job polls go through. */
const BASELINE_JOB_SHOW = findJobShow(buildOperations(baselineCatalog()))!;

const JOB_ID = "0b7c2a52-1111-4222-8333-444455556666";

/** A client answering job polls from a script of states (the last one repeats). */
function scriptedJobs(states: Record<string, unknown>[]) {
  const requests: ApiRequest[] = [];
  const client: ApiClient = {
    send: (request) => {
      requests.push(request);
      return Promise.resolve(states[Math.min(requests.length - 1, states.length - 1)]);
    },
  };
  return { client, requests };
}

/** A manual clock advanced by the injected sleep. */
function manualTime() {
  let now = 0;
  return { now: () => now, sleep: (ms: number) => { now += ms; return Promise.resolve(); } };
}

describe("followJob", () => {
  it("polls the catalog's jobs/{id}/show (/:aid/jobs/:id) until completed, reporting each change once", async () => {
    const { client, requests } = scriptedJobs([
      { id: JOB_ID, status: "queued", progress: 0 },
      { id: JOB_ID, status: "running", progress: 40, currentStep: "provisioning" },
      { id: JOB_ID, status: "running", progress: 40, currentStep: "provisioning" },
      { id: JOB_ID, status: "completed", progress: 100, result: { id: "vk1" } },
    ]);
    const seen: JobProgress[] = [];
    const job = await followJob(client, "acme", JOB_ID, { onProgress: (p) => seen.push(p), jobShow: BASELINE_JOB_SHOW, ...manualTime() });
    assert.equal(job.status, "completed");
    assert.deepEqual(job.result, { id: "vk1" });
    assert.equal(requests[0]!.path, `/acme/jobs/${JOB_ID}`);
    assert.equal(requests[0]!.method, "GET");
    assert.equal(requests.length, 4);
    assert.deepEqual(seen.map((p) => p.status), ["queued", "running", "completed"]);
    assert.equal(seen[1]!.currentStep, "provisioning");
  });

  it("polls soon at first, then backs off to pollMs", async () => {
    const { client } = scriptedJobs([{ id: JOB_ID, status: "running" }, { id: JOB_ID, status: "running" }, { id: JOB_ID, status: "running" }, { id: JOB_ID, status: "running" }, { id: JOB_ID, status: "completed" }]);
    const delays: number[] = [];
    const time = manualTime();
    await followJob(client, "acme", JOB_ID, { pollMs: 1000, now: time.now, sleep: (ms) => (delays.push(ms), time.sleep(ms)) });
    assert.deepEqual(delays, [250, 500, 1000, 1000]);
  });

  it("stops waiting when its signal aborts, saying how to follow the job", async () => {
    const { client, requests } = scriptedJobs([{ id: JOB_ID, status: "running" }]);
    const controller = new AbortController();
    const time = manualTime();
    const sleep = (ms: number) => {
      if (requests.length === 2) controller.abort();
      return time.sleep(ms);
    };
    await assert.rejects(followJob(client, "acme", JOB_ID, { now: time.now, sleep, signal: controller.signal }), /request was cancelled.*|runos follow/);
    assert.equal(requests.length, 2);
  });

  it("returns failed and cancelled jobs as they are, error included", async () => {
    for (const status of ["failed", "cancelled"]) {
      const { client } = scriptedJobs([{ id: JOB_ID, status, error: "disk full" }]);
      const job = await followJob(client, "acme", JOB_ID, manualTime());
      assert.equal(job.status, status);
      assert.equal(job.timedOut, undefined);
    }
  });

  it("stops at the deadline and returns the last state with timedOut", async () => {
    const { client, requests } = scriptedJobs([{ id: JOB_ID, status: "running", progress: 10 }]);
    const job = await followJob(client, "acme", JOB_ID, { pollMs: 1000, timeoutMs: 5000, ...manualTime() });
    assert.equal(job.status, "running");
    assert.equal(job.timedOut, true);
    assert.ok(requests.length >= 5 && requests.length <= 7);
  });

  it("escapes the job id in the path", async () => {
    const { client, requests } = scriptedJobs([{ id: "a/b", status: "completed" }]);
    await followJob(client, "acme", "a/b", { jobShow: BASELINE_JOB_SHOW, ...manualTime() });
    assert.equal(requests[0]!.path, "/acme/jobs/a%2Fb");
  });
});

describe("the job route", () => {
  const op = (command: Record<string, unknown>) => toOperation(CommandSchema.parse({ description: "", mcp: ["read"], ...command }));

  it("goes through whatever endpoint the catalog's job-show command names", () => {
    const v2 = op({ command: "jobs/{jobId}/show", endpoint: "/:aid/v2/jobs/:jobId", method: "GET" });
    assert.equal(findJobShow([v2]), v2);
    assert.equal(jobPath("acme", JOB_ID, v2), `/acme/v2/jobs/${JOB_ID}`);
    assert.equal(jobPath("acme", JOB_ID, BASELINE_JOB_SHOW), `/acme/jobs/${JOB_ID}`);
  });

  it("falls back to the public record's GET /jobs/{id} only when the catalog names no job-show command", async () => {
    assert.equal(findJobShow([op({ command: "jobs/list", endpoint: "/:aid/jobs", method: "GET" })]), undefined);
    assert.equal(jobPath("acme", JOB_ID, undefined), `/jobs/${JOB_ID}`);
    const { client, requests } = scriptedJobs([{ id: JOB_ID, status: "completed" }]);
    await followJob(client, "acme", JOB_ID, manualTime());
    assert.equal(requests[0]!.path, `/jobs/${JOB_ID}`);
  });

  it("never takes a job-show that writes or is cluster-scoped", () => {
    assert.equal(findJobShow([op({ command: "jobs/{id}/show", endpoint: "/:aid/jobs/:id", method: "POST" })]), undefined);
    assert.equal(findJobShow([op({ command: "jobs/{id}/show", endpoint: "/:aid/:cid/jobs/:id", method: "GET" })]), undefined);
  });
});
