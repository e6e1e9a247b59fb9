/** Reading a module's imports from its source, for the static tests of what loads when. */

/**
 * The specifiers `source` imports or re-exports at load time: every `import … from`, bare `import`
 * and `export … from`, except those that bring in types only (they are erased).
 */
export function loadTimeImports(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /^(?:import\s+["']([^"']+)["']|(?:import|export)\s+(type\s+)?([\w$*{},\s]+?)\s+from\s+["']([^"']+)["'])/gm;
  for (const match of source.matchAll(statement)) {
    const [, sideEffect, typeOnly, clause, specifier] = match;
    if (sideEffect !== undefined) {
      specifiers.push(sideEffect);
      continue;
    }
    if (typeOnly !== undefined) continue;
    const named = /\{([^}]*)\}/.exec(clause!);
    const outside = clause!.replace(/\{[^}]*\}/, "").replace(/[,\s]/g, "");
    const onlyTypes = named !== null && outside === "" &&
      named[1]!.split(",").map((name) => name.trim()).filter((name) => name !== "").every((name) => name.startsWith("type "));
    if (!onlyTypes) specifiers.push(specifier!);
  }
  return specifiers;
}
