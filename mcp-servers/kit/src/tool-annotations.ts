import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

// Every Switchyard tool works on its own server's database only, hence openWorldHint false throughout.

/** A tool that only reads. */
export const readOnlyAnnotations = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
}) satisfies ToolAnnotations;

/** A tool that adds records; calling it again adds more (unless an idempotency_key makes it a replay). */
export const additiveAnnotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
}) satisfies ToolAnnotations;

/** A tool that adds or advances state without destroying any; calling it again changes nothing more. */
export const additiveIdempotentAnnotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
}) satisfies ToolAnnotations;

/** A tool that overwrites or undoes state; calling it again with the same arguments changes nothing more. */
export const destructiveIdempotentAnnotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
}) satisfies ToolAnnotations;

/** A tool that overwrites or undoes state, and does so again on every call. */
export const destructiveAnnotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
}) satisfies ToolAnnotations;
