import { z } from "zod";
import { normalizeBaseUrl } from "./base-url.js";

/** A service name such as `inventory` or `repair-orders`. */
export const serviceNameSchema = z
  .string({ error: "service_name is required and must be a string" })
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "service_name must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter");

/** An instance base URL; parsed into its canonical form. */
export const instanceUrlSchema = z.string({ error: "url is required and must be a string" }).transform((value, ctx) => {
  const url = normalizeBaseUrl(value);
  if (url === undefined) {
    ctx.addIssue({ code: "custom", message: "url must be an absolute http:// or https:// URL without credentials, query or fragment" });
    return z.NEVER;
  }
  return url;
});

/** What an instance sends to register itself (and, repeated, as its heartbeat). */
export const registrationSchema = z.object({
  service_name: serviceNameSchema,
  url: instanceUrlSchema,
  ttl_seconds: z.number({ error: "ttl_seconds must be a number" }).positive().finite().optional(),
});

/** What an instance sends to leave the registry. */
export const deregistrationSchema = z.object({
  service_name: serviceNameSchema,
  url: instanceUrlSchema,
});

export type Registration = z.input<typeof registrationSchema>;
export type Deregistration = z.input<typeof deregistrationSchema>;

/** The registry's answer to a registration or heartbeat. */
export interface RegistrationResult {
  service_name: string;
  url: string;
  /** ISO time after which the instance is removed without a heartbeat; null for static instances. */
  expires_at: string | null;
  source: "static" | "registered";
  /** True when the instance was already registered (a heartbeat). */
  renewed: boolean;
}

/** What `deregister` did: removed a registered instance, kept a static one, or found nothing. */
export type DeregistrationOutcome = "removed" | "static" | "not_found";
