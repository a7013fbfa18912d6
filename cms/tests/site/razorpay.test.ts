/**
 * With Razorpay keys, Buy opens Razorpay Checkout (checkout.js) with the order from the API. The
 * browser can't reach checkout.razorpay.com here, so the script is served by a stand-in that
 * records the options and lets the test play the customer; Strapi talks to the Razorpay double
 * (cms/tests/helpers/razorpay-double.ts), which signs the payment as Razorpay would.
 */
import { startRazorpayDouble, type RazorpayDouble } from '../helpers/razorpay-double';
import { newEmail, signUp, startStack, type Stack } from './harness';

let razorpay: RazorpayDouble;
let stack: Stack;
beforeAll(async () => {
  razorpay = await startRazorpayDouble();
  stack = await startStack(razorpay.env);
});
afterAll(async () => {
  await stack?.stop();
  await razorpay?.close();
});

/** Stands in for https://checkout.razorpay.com/v1/checkout.js: same constructor, `on` and `open`. */
const FAKE_CHECKOUT_JS = `
window.Razorpay = class {
  constructor(options) { this.options = options; this.handlers = {}; }
  on(event, handler) { this.handlers[event] = handler; }
  open() { window.__checkout = this; window.__opened = (window.__opened || 0) + 1; }
};`;

it('opens Razorpay Checkout with the order, reports a failed payment, then lands in the course', async () => {
  const page = await stack.newPage();
  let scriptRequests = 0;
  await page.route('https://checkout.razorpay.com/v1/checkout.js', (route) => {
    scriptRequests++;
    return route.fulfill({ contentType: 'application/javascript', body: FAKE_CHECKOUT_JS });
  });
  await page.exposeFunction('__payInRazorpay', (orderId: string) => razorpay.checkoutResponse(razorpay.pay(orderId)));

  const email = newEmail('rzp');
  await signUp(page, stack.mailbox, email);
  await page.goto('/courses/dsa-placement-prep');
  await page.getByRole('link', { name: 'Buy ₹1,299' }).click();
  await page.waitForFunction(() => (window as any).__opened === 1);

  const options = await page.evaluate(() => {
    const { handler, modal, ...rest } = (window as any).__checkout.options;
    return { ...rest, handler: typeof handler, ondismiss: typeof modal?.ondismiss };
  });
  const order = [...razorpay.orders.values()].find((o) => o.id === options.order_id)!;
  expect(order).toMatchObject({ amount: 129900, currency: 'INR', status: 'created' });
  expect(options).toMatchObject({
    key: razorpay.env.RAZORPAY_KEY_ID,
    amount: 129900,
    currency: 'INR',
    name: 'Skillyug',
    description: 'Data Structures & Algorithms for Placements',
    prefill: { email },
    handler: 'function',
    ondismiss: 'function',
  });
  expect(JSON.stringify(options)).not.toContain(razorpay.secrets.keySecret);

  // Razorpay reports a declined attempt, the student closes the modal: they're told, and can retry.
  await page.evaluate(() => {
    const checkout = (window as any).__checkout;
    checkout.handlers['payment.failed']({ error: { description: 'Payment failed due to incorrect OTP' } });
    checkout.options.modal.ondismiss();
  });
  await page.getByTestId('checkout-failed').waitFor();
  expect(await page.getByTestId('checkout-failed').textContent()).toContain('Payment failed due to incorrect OTP');

  await page.getByRole('button', { name: 'Try again · ₹1,299' }).click();
  await page.waitForFunction(() => (window as any).__opened === 2);
  const retried = await page.evaluate(() => (window as any).__checkout.options.order_id);
  expect(retried).toBe(options.order_id); // the unpaid order is reused, not duplicated
  expect(scriptRequests).toBe(1); // checkout.js is loaded once

  // The customer pays: Checkout hands the signed response to the page's handler.
  await page.evaluate(async () => {
    const checkout = (window as any).__checkout;
    checkout.options.handler(await (window as any).__payInRazorpay(checkout.options.order_id));
  });
  await page.waitForURL('**/learn/dsa-placement-prep/**');
  expect((await page.locator('[data-flash]').textContent())?.trim()).toMatch(/^Payment received — you’re enrolled in Data Structures/);
  expect(await page.getByTestId('preview-banner').count()).toBe(0);

  // Strapi emails the receipt (after the response; waiting for it also lets the send finish before teardown).
  const receipt = await stack.mailbox.waitFor(email, 2);
  expect(receipt.subject).toContain('Data Structures & Algorithms for Placements');
});

describe('the Content-Security-Policy', () => {
  it('blocked nothing on the checkout page while Razorpay Checkout ran (its script from checkout.razorpay.com)', () => {
    expect(stack.cspViolations).toEqual([]);
  });
});
