import { randomUUID } from "node:crypto";
import type { ExecutionStep, WorkflowPlan } from "../plan-schema.js";
import { noUsage, PlanningError, type Planner, type PlanningRequest, type PlanProposal } from "./planner.js";

/** The requests the rule planner understands, shown to users when it does not understand one. */
export const ruleExamples = [
  "Place an order for 2 laptops",
  "Check stock of monitor",
  "Cancel order ORD-1A2B3C4D",
  "Add part 1234 to RO 1234 and send a payment link of $100 to jordan.lee@example.com",
  "Update RO 1234 status to quality_check",
];

const numberWords: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};

function parseQuantity(token: string): number | undefined {
  const lower = token.toLowerCase();
  if (/^\d+$/.test(lower)) return Number(lower);
  return numberWords[lower];
}

/** "laptops" -> "laptop", "Mice" -> "mouse": SKUs are singular and lower-case. */
export function skuFromNoun(noun: string): string {
  const word = noun.trim().toLowerCase().replace(/\s+/g, "-");
  if (word === "mice") return "mouse";
  if (/(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

type StepDraft = Omit<ExecutionStep, "step_order" | "validation_checks" | "parallel_group" | "timeout_seconds" | "retry_attempts" | "failure_handling"> &
  Partial<Pick<ExecutionStep, "validation_checks" | "parallel_group" | "timeout_seconds" | "retry_attempts" | "failure_handling">>;

function buildPlan(steps: StepDraft[], summary: string, risk: WorkflowPlan["risk_level"]): WorkflowPlan {
  const executionSteps: ExecutionStep[] = steps.map((step, index) => ({
    validation_checks: [],
    parallel_group: null,
    timeout_seconds: 10,
    retry_attempts: 0,
    failure_handling: "abort",
    ...step,
    step_order: index + 1,
  }));
  return {
    plan_id: `plan_${randomUUID()}`,
    risk_level: risk,
    estimated_duration_seconds: Math.max(1, executionSteps.length),
    execution_steps: executionSteps,
    validation_summary: summary,
    service_dependencies: [...new Set(executionSteps.map((s) => s.service_name))],
  };
}

const ref = (stepId: string, path: string) => `{{steps.${stepId}.result.${path}}}`;

type Rule = { pattern: RegExp; build: (match: RegExpExecArray, context: Record<string, unknown>) => WorkflowPlan | string };

const rules: Rule[] = [
  {
    // "Place an order for 2 laptops", "order 3 monitors for alice@example.com"
    pattern: /^(?:please\s+)?(?:place\s+(?:an?\s+)?order\s+for|order|buy|purchase)\s+(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+([a-z][a-z -]*?)(?:\s+for\s+(\S+@\S+|[a-z][\w .'-]*?))?[.!]?$/i,
    build: (m, context) => {
      const quantity = parseQuantity(m[1]!);
      if (quantity === undefined || quantity < 1) return `"${m[1]}" is not a quantity I can order`;
      const sku = skuFromNoun(m[2]!);
      const fromContext = context.customer ?? context.customer_email;
      const customer = m[3]?.trim() ?? (typeof fromContext === "string" ? fromContext : undefined);
      return buildPlan(
        [
          { step_id: "check_stock", service_name: "inventory", operation: "check_inventory", parameters: { sku, quantity }, dependencies: [], failure_handling: "retry", retry_attempts: 2 },
          { step_id: "reserve_stock", service_name: "inventory", operation: "reserve_stock", parameters: { sku, quantity }, dependencies: ["check_stock"], failure_handling: "retry", retry_attempts: 2 },
          {
            step_id: "create_order",
            service_name: "order",
            operation: "create_order",
            parameters: { sku, quantity, reservation_id: ref("reserve_stock", "reservation_id"), ...(customer ? { customer } : {}) },
            dependencies: ["reserve_stock"],
            failure_handling: "retry",
            retry_attempts: 2,
          },
          { step_id: "commit_reservation", service_name: "inventory", operation: "commit_reservation", parameters: { reservation_id: ref("reserve_stock", "reservation_id") }, dependencies: ["create_order"], failure_handling: "retry", retry_attempts: 2 },
          { step_id: "confirm_order", service_name: "order", operation: "update_order_status", parameters: { order_id: ref("create_order", "order_id"), status: "confirmed" }, dependencies: ["commit_reservation"], failure_handling: "retry", retry_attempts: 2 },
        ],
        `Check that ${quantity} × ${sku} are in stock, reserve them, create the order against the reservation, commit the reservation and confirm the order. A failure releases the reservation and cancels the order.`,
        "medium",
      );
    },
  },
  {
    // "Check stock of laptop", "how many monitors are in stock?"
    pattern: /^(?:check\s+(?:the\s+)?(?:stock|inventory|availability)\s+(?:of|for)|how\s+many)\s+([a-z][a-z -]*?)(?:\s+(?:are\s+)?(?:in\s+stock|left|available))?\??$/i,
    build: (m) => {
      const sku = skuFromNoun(m[1]!);
      return buildPlan(
        [{ step_id: "check_stock", service_name: "inventory", operation: "check_inventory", parameters: { sku, quantity: 1 }, dependencies: [], failure_handling: "retry", retry_attempts: 2 }],
        `Read the available stock of ${sku}.`,
        "low",
      );
    },
  },
  {
    // "Cancel order ORD-1A2B3C4D"
    pattern: /^cancel\s+(?:the\s+)?order\s+(?:#|id\s+)?([A-Za-z0-9_-]+)[.!]?$/i,
    build: (m) => {
      const orderId = m[1]!;
      return buildPlan(
        [
          { step_id: "get_order", service_name: "order", operation: "get_order", parameters: { order_id: orderId }, dependencies: [], failure_handling: "retry", retry_attempts: 2 },
          { step_id: "cancel_order", service_name: "order", operation: "cancel_order", parameters: { order_id: orderId, reason: "Cancelled at the customer's request" }, dependencies: ["get_order"], failure_handling: "retry", retry_attempts: 2 },
          { step_id: "release_stock", service_name: "inventory", operation: "release_reservation", parameters: { reservation_id: ref("cancel_order", "reservation_id") }, dependencies: ["cancel_order"], failure_handling: "retry", retry_attempts: 2 },
        ],
        `Look up order ${orderId}, cancel it and return its reserved or sold stock.`,
        "medium",
      );
    },
  },
  {
    // "Add part 1234 to RO 1234 and send a $100 payment link to x@y.com" (either word order for the amount)
    pattern: /^add\s+part\s+([A-Za-z0-9-]+)\s+to\s+(?:RO|repair\s+order)\s+#?([A-Za-z0-9-]+)\s+and\s+send\s+(?:a\s+)?(?:payment\s+link\s+(?:of|for)\s+\$?(\d+(?:\.\d{1,2})?)|\$(\d+(?:\.\d{1,2})?)\s+payment\s+link)\s+to\s+(\S+@\S+?)[.!]?$/i,
    build: (m) => {
      const partNumber = m[1]!.toUpperCase();
      const repairOrderId = m[2]!;
      const amount = Number(m[3] ?? m[4]);
      const email = m[5]!;
      return buildPlan(
        [
          { step_id: "check_part", service_name: "parts", operation: "check_part_availability", parameters: { part_number: partNumber, quantity: 1 }, dependencies: [], parallel_group: "validate", failure_handling: "retry", retry_attempts: 2, validation_checks: ["result.sufficient == true"] },
          { step_id: "get_repair_order", service_name: "repair-orders", operation: "get_repair_order_details", parameters: { repair_order_id: repairOrderId }, dependencies: [], parallel_group: "validate", failure_handling: "retry", retry_attempts: 2 },
          { step_id: "add_part", service_name: "repair-orders", operation: "add_part_to_repair_order", parameters: { repair_order_id: repairOrderId, part_number: partNumber, quantity: 1, unit_price: ref("check_part", "unit_price") }, dependencies: ["check_part", "get_repair_order"], failure_handling: "retry", retry_attempts: 2 },
          { step_id: "payment_link", service_name: "payment", operation: "create_payment_link", parameters: { invoice_number: repairOrderId, amount, currency: "USD", customer_email: email, description: `Repair order ${repairOrderId}: part ${partNumber}` }, dependencies: ["add_part"], failure_handling: "retry", retry_attempts: 2 },
        ],
        `Check part ${partNumber} and repair order ${repairOrderId} in parallel, add the part to the repair order, then create a $${amount.toFixed(2)} payment link for ${email} with the repair order as invoice number.`,
        "medium",
      );
    },
  },
  {
    // "Update RO 1234 status to quality_check"
    pattern: /^(?:update|set|move)\s+(?:RO|repair\s+order)\s+#?([A-Za-z0-9-]+)(?:'s)?\s+status\s+to\s+([a-z_ ]+?)[.!]?$/i,
    build: (m) => {
      const repairOrderId = m[1]!;
      const status = m[2]!.trim().toLowerCase().replace(/\s+/g, "_");
      return buildPlan(
        [
          { step_id: "get_repair_order", service_name: "repair-orders", operation: "get_repair_order_details", parameters: { repair_order_id: repairOrderId }, dependencies: [], failure_handling: "retry", retry_attempts: 2 },
          { step_id: "check_transition", service_name: "repair-orders", operation: "validate_repair_order_transition", parameters: { from: ref("get_repair_order", "status"), to: status }, dependencies: ["get_repair_order"], validation_checks: ["result.valid == true"] },
          { step_id: "update_status", service_name: "repair-orders", operation: "update_repair_order_status", parameters: { repair_order_id: repairOrderId, status, reason: "Requested through Switchyard" }, dependencies: ["check_transition"], failure_handling: "retry", retry_attempts: 2 },
        ],
        `Read repair order ${repairOrderId}, check that moving it to ${status} is an allowed transition, then update it.`,
        "low",
      );
    },
  },
];

/** The deterministic planner used when no LLM is configured: a few well-known requests. */
export class RulePlanner implements Planner {
  readonly kind = "rules" as const;
  readonly canRepair = false;

  async propose(request: PlanningRequest): Promise<PlanProposal> {
    const text = request.userRequest.trim().replace(/\s+/g, " ");
    for (const rule of rules) {
      const match = rule.pattern.exec(text);
      if (!match) continue;
      const built = rule.build(match, request.context ?? {});
      if (typeof built === "string") throw new PlanningError(built, [{ path: "user_request", message: built }], noUsage(), ruleExamples);
      return { candidate: built, usage: noUsage() };
    }
    const message = "The rule planner does not understand this request. Configure an LLM (OPENAI_API_KEY) for free-form requests, or use one of the supported forms.";
    throw new PlanningError(message, [{ path: "user_request", message: "not a supported request form" }], noUsage(), ruleExamples);
  }
}
