/** Where the registry reports state changes; the default writes to stderr. */
export interface RegistryLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Writes `[<prefix>] message` lines to stderr (stdout stays free for program output). */
export function createStderrLogger(prefix = "registry"): RegistryLogger {
  const write = (message: string) => process.stderr.write(`[${prefix}] ${message}\n`);
  return { info: write, warn: write };
}

/** Drops every message; for tests and embedders that log elsewhere. */
export const silentLogger: RegistryLogger = { info: () => {}, warn: () => {} };
