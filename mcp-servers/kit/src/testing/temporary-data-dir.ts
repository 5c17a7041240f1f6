import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh, empty folder under the system temp dir, named `switchyard-<label>-<random>`. */
export function temporaryDataDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `switchyard-${label}-`));
}

/** Deletes a data folder and everything in it; a folder that is already gone is fine. */
export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
