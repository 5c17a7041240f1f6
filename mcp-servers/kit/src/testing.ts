import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Root of the checkout, for spawning entry files from tests and scripts. */
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface SpawnedService {
  child: ChildProcess;
  /** The URL the process said it listens on (the first match of `listening on <url>`). */
  url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry file (relative to the checkout) as a real Node process
 * running from source, and waits for its "listening on <url>" line on stderr.
 */
export function spawnService(
  entry: string,
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number } = {},
): Promise<SpawnedService> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
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
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${entry} did not start within ${options.timeoutMs ?? 30_000} ms:\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
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
  });
}
