import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface SpawnedHttpServer {
  url: string;
  process: ChildProcess;
  /** Everything the server wrote to stderr so far (its log). */
  log(): string;
  stop(): Promise<void>;
}

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const startTimeoutMs = 30_000;

/**
 * Starts an HTTP entry as a real child process on a free port and resolves with the URL
 * it logs once listening. `env` is added to the parent's environment.
 */
export function spawnHttpServer(entry: string, env: Record<string, string>): Promise<SpawnedHttpServer> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    // A server that never says it listens is stopped here, or nobody would stop it.
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`${entry} did not report a listening URL within ${startTimeoutMs} ms:\n${stderr}`)));
    }, startTimeoutMs);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+?)\/mcp/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], process: child, log: () => stderr, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with code ${code} before listening:\n${stderr}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
