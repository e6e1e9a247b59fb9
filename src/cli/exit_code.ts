/**
 * A command that has already said everything (a `runos doctor` report that found problems) and only
 * needs a non-zero exit code throws {@link ExitWithCode}: main.ts returns its code and prints nothing.
 */

/** End the command with `code`, printing nothing more. */
export class ExitWithCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = "ExitWithCode";
  }
}
