/**
 * The retail story against a running stack: read the laptop stock, order 2 laptops, see the
 * stock go down, cancel the order, and see the stock come back.
 */
import { runExample, type ExampleContext } from "../shared/example-runner.js";
import { failureOf, stepResult } from "../shared/workflow-results.js";

const quantity = 2;

async function laptopStock({ follow }: ExampleContext): Promise<number | undefined> {
  const workflow = await follow("Check stock of laptop");
  return stepResult<{ available: number }>(workflow, "check_stock")?.available;
}

await runExample({
  name: "retail",
  description: `The retail story: check the stock of laptop, order ${quantity} laptops (check, reserve, create the order,
commit, confirm), check the stock again, cancel the order and check that the stock is back.
Running it again is safe: the cancellation gives the laptops back.`,
  async run(context) {
    const { follow, check, say } = context;
    const before = await laptopStock(context);
    if (!check("the stock of laptop can be read", before !== undefined)) return;
    say(`Laptops available before the order: ${before}`);

    const order = await follow(`Place an order for ${quantity} laptops`);
    if (before! < quantity) {
      check(`with ${before} in stock the order is refused as out of stock`, order.status === "failed" && /out of stock/i.test(failureOf(order)), failureOf(order));
      check("the refused order took no stock", (await laptopStock(context)) === before);
      return;
    }
    if (!check(`the order of ${quantity} laptops succeeded, every step included`, order.status === "succeeded" && order.steps.every((s) => s.status === "succeeded"), failureOf(order))) return;
    const created = stepResult<{ order_id: string }>(order, "create_order");
    const confirmed = stepResult<{ status: string }>(order, "confirm_order");
    if (!check("the order has an id and is confirmed", created !== undefined && confirmed?.status === "confirmed", JSON.stringify(confirmed))) return;
    say(`Order ${created!.order_id} is confirmed.`);

    const afterOrder = await laptopStock(context);
    check(`the stock went down by ${quantity}, from ${before} to ${before! - quantity}`, afterOrder === before! - quantity, `it is ${afterOrder}`);

    const cancel = await follow(`Cancel order ${created!.order_id}`);
    check(`order ${created!.order_id} was cancelled and its stock released`, cancel.status === "succeeded", failureOf(cancel));
    const afterCancel = await laptopStock(context);
    check(`the stock is back to ${before}`, afterCancel === before, `it is ${afterCancel}`);
    say(`Laptops available: ${before} before, ${afterOrder} after the order, ${afterCancel} after the cancellation.`);
  },
});
