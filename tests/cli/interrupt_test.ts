import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { followCommand, jobWaitInterrupted } from "../../src/cli/interrupt.ts";
import { InterruptedError } from "../../src/errors.ts";

const JOB = "0b7f4d2e-5c1a-4f0e-9a51-3f2b8c6d1e90";

describe("Ctrl-C while waiting for a job", () => {
  it("against RunOS: the job goes on there, and `runos follow` picks it up", () => {
    const error = jobWaitInterrupted(JOB, { sandbox: false });
    assert.ok(error instanceof InterruptedError);
    assert.equal(error.exitCode, 130);
    assert.equal(error.message, `interrupted: stopped waiting for job ${JOB}, which goes on running on the RunOS side`);
    assert.equal(error.hint, `follow it again with \`runos follow ${JOB}\` (or see \`runos jobs show ${JOB}\`)`);
  });

  it("in the shared sandbox: the job goes on there, for as long as the sandbox is kept, and is followed with --sandbox", () => {
    const error = jobWaitInterrupted(JOB, { sandbox: true, sandboxHost: { kind: "shared", lingerMs: 10 * 60_000 } });
    assert.equal(error.message, `interrupted: stopped waiting for job ${JOB}, which goes on in the sandbox your --sandbox commands share (kept 10 min after the last one)`);
    assert.equal(error.hint, `follow it again with \`runos follow ${JOB} --sandbox\` (or see \`runos jobs show ${JOB} --sandbox\`)`);
    assert.doesNotMatch(error.message, /RunOS side/);
  });

  it("in an in-process sandbox: the job stops with the process, so nothing is promised to `runos follow`", () => {
    const error = jobWaitInterrupted(JOB, { sandbox: true, sandboxHost: { kind: "in-process" } });
    assert.equal(error.message, `interrupted: stopped waiting for job ${JOB}, which runs in this command's own sandbox and stops with it`);
    assert.equal(error.hint, "run the command again to start a new job");
  });

  it("the follow command carries --sandbox exactly when the job runs in the sandbox", () => {
    assert.equal(followCommand(JOB, { sandbox: false }), `runos follow ${JOB}`);
    assert.equal(followCommand(JOB, { sandbox: true }), `runos follow ${JOB} --sandbox`);
  });
});
