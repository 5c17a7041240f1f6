import { randomBytes } from "node:crypto";

/**
 * `PREFIX-` plus 8 upper-case hex digits, retried while `isTaken` says the id exists.
 * 4 billion ids make a clash rare enough that a few attempts always suffice.
 */
export function uniqueId(prefix: string, isTaken: (id: string) => boolean): string {
  for (let attempt = 0; attempt < 16; attempt += 1) {
    const id = `${prefix}-${randomBytes(4).toString("hex").toUpperCase()}`;
    if (!isTaken(id)) return id;
  }
  throw new Error(`Could not find a free ${prefix} id after 16 attempts`);
}
