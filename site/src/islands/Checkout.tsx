/**
 * Paying for a course. Asks the site for an order (POST /api/checkout/order → Strapi creates or
 * reuses it and answers what Checkout needs), then opens Razorpay Checkout (checkout.js) — or, when
 * the server runs the sandbox, a stand-in dialog that pays or fails without real money. Whatever
 * Checkout hands back goes to POST /api/checkout/verify; success lands the student in the course,
 * failure and cancel say what happened and offer another try.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';

type CheckoutOptions = {
  mode: 'razorpay' | 'sandbox';
  key: string;
  order_id: string;
  amount: number;
  currency: string;
  name: string;
  description?: string | null;
  prefill?: { name?: string; email?: string };
  notes?: Record<string, string>;
};
type PaymentResponse = { razorpay_order_id: string; razorpay_payment_id: string; razorpay_signature: string };

type Phase =
  | { name: 'idle' }
  | { name: 'preparing' }
  | { name: 'open' }
  | { name: 'sandbox'; checkout: CheckoutOptions }
  | { name: 'paying' }
  | { name: 'verifying' }
  | { name: 'done'; message: string }
  | { name: 'pending'; message: string; orderId: string }
  | { name: 'failed'; message: string }
  | { name: 'cancelled' };

type Props = { courseId: string; courseTitle: string; price: string; autoStart?: boolean };

declare global {
  interface Window {
    Razorpay?: new (options: Record<string, unknown>) => { open(): void; on(event: string, handler: (response: any) => void): void };
  }
}

const RAZORPAY_SCRIPT = 'https://checkout.razorpay.com/v1/checkout.js';

function loadRazorpay(): Promise<void> {
  if (window.Razorpay) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = RAZORPAY_SCRIPT;
    script.async = true;
    script.onload = () => (window.Razorpay ? resolve() : reject(new Error('Razorpay did not load')));
    script.onerror = () => reject(new Error('Razorpay Checkout could not be loaded. Check your connection and try again.'));
    document.head.append(script);
  });
}

async function post<T>(path: string, body: unknown): Promise<{ ok: boolean; status: number; data: T & { error?: string; redirect?: string } }> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ error: 'Unexpected answer from the server.' }));
  return { ok: response.ok, status: response.status, data };
}

export default function Checkout({ courseId, courseTitle, price, autoStart = false }: Props) {
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const lastFailure = useRef<string | null>(null);
  const payButton = useRef<HTMLButtonElement>(null);

  const verify = useCallback(async (payment: PaymentResponse) => {
    setPhase({ name: 'verifying' });
    try {
      const { ok, data } = await post<{ pending?: boolean; message?: string }>('/api/checkout/verify', payment);
      if (ok && data.redirect) {
        setPhase({ name: 'done', message: 'Payment received. Taking you to your course…' });
        window.location.assign(data.redirect);
      } else if (ok && data.pending) {
        setPhase({ name: 'pending', message: data.message ?? 'Your payment is being confirmed. You’ll get access as soon as it is.', orderId: payment.razorpay_order_id });
      } else {
        setPhase({ name: 'failed', message: data.error ?? 'We couldn’t confirm the payment.' });
      }
    } catch {
      setPhase({ name: 'failed', message: 'We lost the connection while confirming your payment. If money was taken, you’ll get access automatically within minutes; otherwise try again.' });
    }
  }, []);

  const start = useCallback(async () => {
    lastFailure.current = null;
    setPhase({ name: 'preparing' });
    let checkout: CheckoutOptions;
    try {
      const { ok, data } = await post<{ checkout?: CheckoutOptions }>('/api/checkout/order', { courseId });
      if (data.redirect) {
        window.location.assign(data.redirect);
        return;
      }
      if (!ok || !data.checkout) {
        setPhase({ name: 'failed', message: data.error ?? 'We couldn’t start the checkout.' });
        return;
      }
      checkout = data.checkout;
    } catch {
      setPhase({ name: 'failed', message: 'We couldn’t reach Skillyug. Check your connection and try again.' });
      return;
    }

    if (checkout.mode === 'sandbox') {
      setPhase({ name: 'sandbox', checkout });
      return;
    }
    try {
      await loadRazorpay();
    } catch (error) {
      setPhase({ name: 'failed', message: (error as Error).message });
      return;
    }
    const razorpay = new window.Razorpay!({
      key: checkout.key,
      order_id: checkout.order_id,
      amount: checkout.amount,
      currency: checkout.currency,
      name: checkout.name,
      description: checkout.description ?? courseTitle,
      prefill: checkout.prefill,
      notes: checkout.notes,
      theme: { color: '#3b3fb6' },
      handler: (response: PaymentResponse) => void verify(response),
      modal: {
        ondismiss: () => {
          const failure = lastFailure.current;
          setPhase(failure ? { name: 'failed', message: failure } : { name: 'cancelled' });
        },
      },
    });
    razorpay.on('payment.failed', (response: { error?: { description?: string } }) => {
      lastFailure.current = response?.error?.description ?? 'The payment was declined.';
    });
    razorpay.open();
    setPhase({ name: 'open' });
  }, [courseId, courseTitle, verify]);

  // Authorised but not captured yet: ask every few seconds (for up to two minutes) until it's paid.
  const pendingOrder = phase.name === 'pending' ? phase.orderId : null;
  useEffect(() => {
    if (!pendingOrder) return;
    let tries = 0;
    const timer = window.setInterval(async () => {
      if (++tries > 40) return window.clearInterval(timer);
      try {
        const response = await fetch(`/api/checkout/status?order=${encodeURIComponent(pendingOrder)}`, { credentials: 'same-origin' });
        const data = await response.json();
        if (data.redirect) {
          window.clearInterval(timer);
          setPhase({ name: 'done', message: 'Payment confirmed. Taking you to your course…' });
          window.location.assign(data.redirect);
        } else if (data.status === 'failed') {
          window.clearInterval(timer);
          setPhase({ name: 'failed', message: data.failureReason ?? 'The payment was not completed.' });
        }
      } catch {
        /* keep waiting */
      }
    }, 3_000);
    return () => window.clearInterval(timer);
  }, [pendingOrder]);

  // Arriving from the course page's Buy button opens Checkout straight away, once.
  useEffect(() => {
    if (!autoStart) return;
    const url = new URL(window.location.href);
    url.searchParams.delete('start');
    window.history.replaceState(null, '', url);
    void start();
  }, [autoStart, start]);

  async function sandboxPay(checkout: CheckoutOptions, outcome: 'success' | 'failure') {
    setPhase({ name: 'paying' });
    try {
      const { ok, data } = await post<Partial<PaymentResponse> & { failure?: string }>('/api/checkout/sandbox', {
        razorpay_order_id: checkout.order_id,
        outcome,
      });
      if (ok && data.razorpay_payment_id) await verify(data as PaymentResponse);
      else setPhase({ name: 'failed', message: data.failure ?? data.error ?? 'The payment was declined.' });
    } catch {
      setPhase({ name: 'failed', message: 'We couldn’t reach Skillyug. Check your connection and try again.' });
    }
  }

  function closeSandbox() {
    setPhase({ name: 'cancelled' });
    requestAnimationFrame(() => payButton.current?.focus());
  }

  const busy = ['preparing', 'open', 'paying', 'verifying', 'done', 'sandbox'].includes(phase.name);
  const retry = phase.name === 'failed' || phase.name === 'cancelled';

  return (
    <div data-testid="checkout" data-phase={phase.name}>
      <button ref={payButton} type="button" className="btn-primary w-full text-base" onClick={() => void start()} disabled={busy} aria-busy={busy || undefined} data-testid="pay">
        {phase.name === 'preparing' ? 'Opening checkout…' : phase.name === 'verifying' || phase.name === 'paying' ? 'Confirming your payment…' : retry ? `Try again · ${price}` : `Pay ${price}`}
      </button>

      <div aria-live="polite" className="mt-4">
        {phase.name === 'failed' && (
          <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900" data-testid="checkout-failed">
            <p className="font-semibold">Your payment didn’t go through.</p>
            <p className="mt-1">{phase.message}</p>
            <p className="mt-1">You haven’t been charged for this attempt. You can try again, or use another payment method.</p>
          </div>
        )}
        {phase.name === 'cancelled' && (
          <div className="rounded-lg border border-slate-300 bg-white p-4 text-slate-900" data-testid="checkout-cancelled">
            <p className="font-semibold">Checkout closed.</p>
            <p className="mt-1">You closed the checkout before paying, so nothing was charged. Ready when you are.</p>
          </div>
        )}
        {phase.name === 'pending' && (
          <div className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950" data-testid="checkout-pending">
            <p className="font-semibold">Payment received, confirmation pending.</p>
            <p className="mt-1">{phase.message}</p>
            <p className="mt-2">
              <a className="link" href="/dashboard">Go to My learning</a>
            </p>
          </div>
        )}
        {phase.name === 'done' && (
          <p className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 font-semibold text-emerald-900">{phase.message}</p>
        )}
        {(phase.name === 'verifying' || phase.name === 'paying') && <p className="text-slate-700">Confirming your payment. Please don’t close this page.</p>}
      </div>

      {phase.name === 'sandbox' && (
        <SandboxDialog
          checkout={phase.checkout}
          price={price}
          courseTitle={courseTitle}
          onPay={(outcome) => void sandboxPay(phase.checkout, outcome)}
          onClose={closeSandbox}
        />
      )}
    </div>
  );
}

/** The sandbox's stand-in for Razorpay's modal: a real dialog (focus kept inside, Escape closes). */
function SandboxDialog({
  checkout,
  price,
  courseTitle,
  onPay,
  onClose,
}: {
  checkout: CheckoutOptions;
  price: string;
  courseTitle: string;
  onPay: (outcome: 'success' | 'failure') => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>('button:not([disabled])')];
    if (focusable.length === 0) return;
    const [head, tail] = [focusable[0], focusable[focusable.length - 1]];
    if (event.shiftKey && document.activeElement === head) {
      event.preventDefault();
      tail.focus();
    } else if (!event.shiftKey && document.activeElement === tail) {
      event.preventDefault();
      head.focus();
    }
  }

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-950/60 p-4">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby="sandbox-title"
        aria-describedby="sandbox-description"
        onKeyDown={onKeyDown}
        className="w-full max-w-sm rounded-2xl bg-white p-6 shadow-xl"
        data-testid="sandbox-dialog"
      >
        <p className="inline-block rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold tracking-wide text-amber-900 uppercase">Test mode</p>
        <h2 id="sandbox-title" className="mt-3 text-xl font-semibold">
          Sandbox checkout — no real money moves
        </h2>
        <p id="sandbox-description" className="mt-2 text-slate-700">
          Razorpay isn’t configured on this server, so this stands in for it. Choose how the payment for <strong>{courseTitle}</strong> ends.
        </p>
        <dl className="mt-4 space-y-1 rounded-lg bg-slate-50 p-3 text-sm">
          <div className="flex justify-between gap-3">
            <dt className="text-slate-700">Amount</dt>
            <dd className="font-semibold">{price}</dd>
          </div>
          <div className="flex justify-between gap-3">
            <dt className="text-slate-700">Order</dt>
            <dd className="truncate font-mono text-xs">{checkout.order_id}</dd>
          </div>
        </dl>
        <div className="mt-5 grid gap-2">
          <button ref={first} type="button" className="btn-primary" onClick={() => onPay('success')} data-testid="sandbox-pay">
            Pay {price}
          </button>
          <button type="button" className="btn-secondary" onClick={() => onPay('failure')} data-testid="sandbox-fail">
            Decline payment
          </button>
          <button type="button" className="btn-secondary" onClick={onClose} data-testid="sandbox-cancel">
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
