/**
 * The automotive story against a running stack: add part 1234 to repair order 1234 and send
 * the customer a $100 payment link (two reads in parallel, then two writes), then move the
 * repair order to its next status, after an invalid move has been refused.
 */
import { runExample } from "../shared/example-runner.js";
import { failureOf, stepResult } from "../shared/workflow-results.js";

const seedRequest = "Add part 1234 to RO 1234 and send a payment link of $100 to jordan.lee@example.com";

await runExample({
  name: "automotive",
  description: `The automotive story: "${seedRequest}",
then "Update RO 1234 status to closed" (refused: not an allowed transition, nothing changes)
and an allowed status update (in_progress <-> quality_check, so the example can run again).`,
  async run({ follow, check, say }) {
    const seed = await follow(seedRequest);
    if (!check("the seed request succeeded, all four steps included", seed.status === "succeeded" && seed.steps.length === 4 && seed.steps.every((s) => s.status === "succeeded"), failureOf(seed))) return;
    const plan = seed.workflow_plan!;
    const reads = plan.execution_steps.filter((s) => s.step_id === "check_part" || s.step_id === "get_repair_order");
    check("the part check and the repair order lookup were planned in parallel", reads.length === 2 && reads.every((s) => s.dependencies.length === 0));
    const line = stepResult<{ line: { part_number: string; quantity: number } }>(seed, "add_part")?.line;
    check("part 1234 is on repair order 1234", line?.part_number === "1234" && line.quantity === 1, JSON.stringify(line));
    const payment = stepResult<{ payment_id: string; payment_url: string; amount: number; customer_email: string; invoice_number: string }>(seed, "payment_link");
    if (!check("a $100 payment link went to jordan.lee@example.com for invoice 1234", payment?.amount === 100 && payment.customer_email === "jordan.lee@example.com" && payment.invoice_number === "1234", JSON.stringify(payment))) return;
    say(`Payment link ${payment!.payment_id}: ${payment!.payment_url}`);

    const current = stepResult<{ status: string }>(seed, "get_repair_order")?.status;
    if (!check("repair order 1234 is open for work (in_progress or quality_check)", current === "in_progress" || current === "quality_check", `it is ${current}`)) return;
    const refused = await follow("Update RO 1234 status to closed");
    check(`moving RO 1234 from ${current} to closed is refused at the transition check`, refused.status === "failed" && refused.steps.find((s) => s.step_id === "check_transition")?.status === "failed", failureOf(refused));
    check("the refused update changed nothing", refused.steps.find((s) => s.step_id === "update_status")?.status !== "succeeded");

    const next = current === "quality_check" ? "in_progress" : "quality_check";
    const moved = await follow(`Update RO 1234 status to ${next}`);
    const update = stepResult<{ previous_status: string; status: string }>(moved, "update_status");
    check(`RO 1234 moved from ${current} to ${next}`, moved.status === "succeeded" && update?.previous_status === current && update?.status === next, failureOf(moved));
  },
});
