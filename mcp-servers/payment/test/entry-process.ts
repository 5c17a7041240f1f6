import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Repository root: `--import tsx` resolves from here. */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface RunningEntry {
  /** Base URL without `/mcp`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The environment of a child entry: this process's, minus settings that would change what the test sees. */
export function entryEnv(overrides: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !["MCP_AUTH_TOKEN", "MCP_ALLOWED_ORIGINS", "MCP_HOST"].includes(key)) env[key] = value;
  }
  return { ...env, ...overrides };
}

/** Starts an HTTP entry file as a real child process and resolves with the URL it logs on stderr. */
export function startHttpEntry(entryFile: string, env: Record<string, string>): Promise<RunningEntry> {
  const child = spawn(process.execPath, ["--import", "tsx", entryFile], { cwd: repoRoot, env: entryEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)\/mcp/.exec(stderr);
      if (match) resolve({ url: match[1]!, child, stop });
    });
    child.once("exit", (code) => reject(new Error(`${entryFile} exited with ${code} before listening:\n${stderr}`)));
    child.once("error", reject);
  });
}
