import { spawn, type ChildProcess } from "node:child_process";
import { entryEnvironment } from "./entry-environment.js";
import { repositoryRoot } from "./repository-root.js";

export interface SpawnedService {
  child: ChildProcess;
  /** The URL the process said it listens on (the first match of `listening on <url>`), without a trailing `/mcp`. */
  url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry file (absolute, or relative to the checkout) as a real Node
 * process running from source, and waits for its "listening on <url>" line on stderr.
 * The child gets `entryEnvironment(env)`: the shell's MCP settings do not leak into it.
 */
export function spawnService(
  entry: string,
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number } = {},
): Promise<SpawnedService> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: repositoryRoot,
    env: entryEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    // A process that never says it listens is stopped here, or nobody would stop it.
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${entry} did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stdout?.resume();
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!.replace(/\/mcp$/, ""), stderr: () => stderr, stop });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code ?? signal}) before listening:\n${stderr}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
