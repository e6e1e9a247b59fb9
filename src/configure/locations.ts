/**
 * Paths of clients' config files, computed for the configured machine's platform (not the one the
 * tests run on), so Windows paths can be produced and tested anywhere.
 */
import { posix, win32 } from "node:path";
import type { ConfigureEnv } from "./writer.ts";

/** Join path segments with the separator of `env.platform`. */
export function joinPath(env: ConfigureEnv, ...parts: string[]): string {
  return (env.platform === "win32" ? win32 : posix).join(...parts);
}

/** `$CODEX_HOME`, else `~/.codex`. */
export function codexHome(env: ConfigureEnv): string {
  return env.codexHome !== undefined && env.codexHome !== "" ? env.codexHome : joinPath(env, env.home, ".codex");
}

/** `$XDG_CONFIG_HOME`, else `~/.config`. */
export function xdgConfigHome(env: ConfigureEnv): string {
  return env.xdgConfigHome !== undefined && env.xdgConfigHome !== "" ? env.xdgConfigHome : joinPath(env, env.home, ".config");
}

/** `$COPILOT_HOME`, else `~/.copilot` (GitHub Copilot CLI's configuration directory). */
export function copilotHome(env: ConfigureEnv): string {
  return env.copilotHome !== undefined && env.copilotHome !== "" ? env.copilotHome : joinPath(env, env.home, ".copilot");
}

/** A VS Code extension's global storage folder (VS Code's `User/globalStorage/<id>`), per operating system. */
export function vscodeGlobalStorage(env: ConfigureEnv, extensionId: string): string {
  return joinPath(env, userDataDir(env, "Code"), "User", "globalStorage", extensionId);
}

/** Claude Desktop's one config file, per operating system. */
export function claudeDesktopConfigPath(env: ConfigureEnv): string {
  return joinPath(env, userDataDir(env, "Claude"), "claude_desktop_config.json");
}

/** A desktop application's folder of user data: macOS Application Support, Windows %APPDATA%, Linux ~/.config. */
function userDataDir(env: ConfigureEnv, app: string): string {
  if (env.platform === "darwin") return joinPath(env, env.home, "Library", "Application Support", app);
  if (env.platform === "win32") {
    const appData = env.appData !== undefined && env.appData !== "" ? env.appData : joinPath(env, env.home, "AppData", "Roaming");
    return joinPath(env, appData, app);
  }
  return joinPath(env, env.home, ".config", app);
}
