import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { launchStackOnFreePorts, repositoryRoot, type LaunchOptions, type RunningStack } from "../../../scripts/stack-launcher.js";

/** A launched stack with its temporary data folder. */
export interface TestStack extends RunningStack {
  dataDir: string;
  /** Read-only SQL against one service's database file, e.g. `query("inventory", "SELECT ...")`. */
  query<T = Record<string, unknown>>(service: string, sql: string, ...params: unknown[]): T[];
}

/** Launches the real stack as processes on free ports over a fresh temporary DATA_DIR. */
export async function startTestStack(options: Partial<Pick<LaunchOptions, "llm" | "faults" | "simulatedLlmLatencyMs">> = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "switchyard-examples-"));
  const stack = await launchStackOnFreePorts({ dataDir, llm: options.llm ?? "rules", ...options });
  return {
    ...stack,
    dataDir,
    query<T>(service: string, sql: string, ...params: unknown[]): T[] {
      const database = new Database(join(dataDir, `${service}.db`), { readonly: true, fileMustExist: true });
      try {
        return database.prepare(sql).all(...params) as T[];
      } finally {
        database.close();
      }
    },
  };
}

/** Output and exit code of a script run to its end. */
export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript script of the checkout as a child process (through tsx) and waits for it to exit. */
export function runScript(entry: string, args: string[], env: Record<string, string> = {}, timeoutMs = 240_000): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} did not finish within ${timeoutMs / 1000} s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
