import { createOrderBody, verifyBody, webhookEnvelope, paymentEventPayload } from '../contracts';
import { paymentMismatch } from '../services/fulfilment';
import type { OrderRow } from '../store';

describe('input schemas', () => {
  it('takes only a course id for an order (never an amount)', () => {
    expect(createOrderBody.safeParse({ courseId: 'abcdefghij0123456789abcd' }).success).toBe(true);
    const withAmount = createOrderBody.safeParse({ courseId: 'abcdefghij0123456789abcd', amount: 1 });
    expect(withAmount.success).toBe(false);
    expect(withAmount.error!.issues[0].message).toMatch(/amount/);
  });

  it('takes exactly what Checkout returns for verify', () => {
    const good = { razorpay_order_id: 'order_IluGWxBm9U8zJ8', razorpay_payment_id: 'pay_IluGWxBm9U8zJ8', razorpay_signature: 'a'.repeat(64) };
    expect(verifyBody.safeParse(good).success).toBe(true);
    expect(verifyBody.safeParse({ ...good, razorpay_order_id: "order_1' OR 1=1" }).success).toBe(false);
    expect(verifyBody.safeParse({ ...good, razorpay_signature: 'a'.repeat(65) }).success).toBe(false);
    expect(verifyBody.safeParse({ ...good, status: 'paid' }).success).toBe(false);
  });

  it('parses webhook envelopes loosely but payment entities strictly enough', () => {
    expect(webhookEnvelope.safeParse({ entity: 'event', event: 'payment.captured', payload: {}, extra: 1 }).success).toBe(true);
    expect(webhookEnvelope.safeParse({ entity: 'order', event: 'x', payload: {} }).success).toBe(false);
    const entity = { id: 'pay_1', order_id: 'order_1', amount: 100, currency: 'INR', status: 'captured', unknown: true };
    expect(paymentEventPayload.safeParse({ payment: { entity } }).success).toBe(true);
    expect(paymentEventPayload.safeParse({ payment: { entity: { ...entity, amount: '100' } } }).success).toBe(false);
    expect(paymentEventPayload.safeParse({ payment: { entity: { ...entity, status: 'stolen' } } }).success).toBe(false);
  });
});

describe('matching a payment to an order', () => {
  const order = { razorpayOrderId: 'order_1', amount: 49900, currency: 'INR' } as OrderRow;
  const payment = { id: 'pay_1', order_id: 'order_1', amount: 49900, currency: 'INR', status: 'captured' as const };

  it('accepts the order’s own payment for its amount', () => {
    expect(paymentMismatch(order, payment)).toBeNull();
  });

  it.each([
    [{ order_id: 'order_2' }, /another order/],
    [{ order_id: null }, /another order/],
    [{ amount: 100 }, /100 INR/],
    [{ currency: 'USD' }, /USD/],
  ])('refuses %p', (change, message) => {
    expect(paymentMismatch(order, { ...payment, ...change })).toMatch(message);
  });
});
