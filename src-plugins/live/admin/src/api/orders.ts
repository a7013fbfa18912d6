/** The admin API of payments (src-plugins/live/server/src/payments/controllers/orders.ts), typed. */
export type OrderStatus = 'created' | 'paid' | 'failed' | 'refunded';

export type AdminOrder = {
  id: number;
  documentId: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  course: { documentId: string; title: string | null };
  user: { id: number; email: string | null; username: string | null } | null;
  provider: 'razorpay' | 'sandbox';
  razorpayOrderId: string | null;
  razorpayPaymentId: string | null;
  razorpayRefundId: string | null;
  refundStatus: string | null;
  failureReason: string | null;
  createdAt: string | null;
  paidAt: string | null;
  refundedAt: string | null;
};

export type OrdersResponse = {
  data: AdminOrder[];
  meta: {
    pagination: { page: number; pageSize: number; pageCount: number; total: number };
    payments: { mode: 'razorpay' | 'sandbox'; ready: boolean; keyId: string | null };
  };
};

export type CourseOption = { documentId: string; title: string };

export type ReconcileSummary = { checked: number; fulfilled: number; failed: number; errors: number; mode: string };

export type OrdersQuery = { page?: string; pageSize?: string; status?: string; course?: string; from?: string; to?: string };

/** Only the parameters the server accepts (it refuses unknown ones with a 400). */
export function ordersParams(query: OrdersQuery) {
  const params: Record<string, string> = {};
  for (const key of ['page', 'pageSize', 'status', 'course', 'from', 'to'] as const) {
    if (query[key]) params[key] = String(query[key]);
  }
  return params;
}

export const formatAmount = (paise: number, currency: string) =>
  new Intl.NumberFormat('en-IN', { style: 'currency', currency }).format(paise / 100);

export const formatDate = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('en-IN', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** The server's error envelope → a sentence for a notification. */
export const errorMessage = (error: unknown) =>
  (error as any)?.response?.data?.error?.message ?? (error as Error)?.message ?? 'Something went wrong';
