import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Root of the checkout: entries are spawned from here, as `npm start` would. */
export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A TypeScript entry running as a real Node process. */
export interface SpawnedEntry {
  child: ChildProcess;
  /** The URL from its `listening on <url>` line. */
  url: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Sends `signal` (SIGTERM first falls back to SIGKILL after 5 s) and resolves with the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const LISTENING = /listening on (https?:\/\/\S+)\s/;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs an entry to completion (for entries expected to exit on their own, e.g. on bad config). */
export function runEntry(entry: string, env: Record<string, string>, timeoutMs = 30_000): Promise<Exit & { stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} did not exit within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/**
 * Starts `node --import tsx <entry>` with `env` added to this process's environment and
 * resolves once stderr shows `listening on <url>`. Rejects (and kills the child) when it
 * exits or stays silent first.
 */
export function spawnEntry(entry: string, env: Record<string, string>, timeoutMs = 45_000): Promise<SpawnedEntry> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const stop = async (signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const escalate = setTimeout(() => child.kill("SIGKILL"), 5_000);
      const exit = await exited;
      clearTimeout(escalate);
      return exit.code;
    }
    return child.exitCode;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop("SIGKILL");
      reject(new Error(`${entry} did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      // The URL counts once its line is complete: a chunk may end in the middle of the port.
      const wasListening = LISTENING.test(stderr);
      stderr += chunk.toString();
      const match = LISTENING.exec(stderr);
      if (match && !wasListening) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, stderr: () => stderr, stop });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  });
}
