import { useCallback, useEffect, useState } from 'react';
import { Page, Layouts, Pagination, ConfirmDialog, useFetchClient, useNotification, useQueryParams, useRBAC } from '@strapi/strapi/admin';
import {
  Badge,
  Box,
  Button,
  DatePicker,
  Dialog,
  EmptyStateLayout,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { PERMISSIONS, ORDER_ACTIONS } from '../../permissions';
import {
  errorMessage,
  formatAmount,
  formatDate,
  ordersParams,
  type AdminOrder,
  type CourseOption,
  type OrdersQuery,
  type OrdersResponse,
  type OrderStatus,
  type ReconcileSummary,
} from '../../api/orders';

const STATUS_VARIANT: Record<OrderStatus, 'neutral' | 'success' | 'danger' | 'warning'> = {
  created: 'neutral',
  paid: 'success',
  failed: 'danger',
  refunded: 'warning',
};
const ALL = '__all__';

/** Local midnight of a day as an ISO instant (the server filters createdAt >= from, < to). */
const startOfDay = (date: Date, plusDays = 0) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + plusDays).toISOString();

/**
 * Orders: a read-only list with filters (status, course, dates), a full refund for admins allowed
 * to refund (with a confirmation), and a button that reconciles unpaid orders with Razorpay now.
 */
const OrdersList = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [{ query }, setQuery] = useQueryParams<OrdersQuery>();
  const { allowedActions } = useRBAC(ORDER_ACTIONS);
  const [orders, setOrders] = useState<OrdersResponse | null>(null);
  const [courses, setCourses] = useState<CourseOption[]>([]);
  const [failed, setFailed] = useState(false);
  const [refunding, setRefunding] = useState<AdminOrder | null>(null);
  const [reconciling, setReconciling] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    get<{ data: CourseOption[] }>('/live/orders/courses')
      .then(({ data }) => setCourses(data.data))
      .catch(() => setCourses([]));
  }, [get, reloads]);

  const params = JSON.stringify(ordersParams(query));
  useEffect(() => {
    let current = true;
    get<OrdersResponse>('/live/orders', { params: JSON.parse(params) })
      .then(({ data }) => current && (setOrders(data), setFailed(false)))
      .catch(() => current && setFailed(true));
    return () => {
      current = false;
    };
  }, [get, params, reloads]);

  const filter = (changes: OrdersQuery) => setQuery({ ...query, ...changes, page: '1' });
  const clearFilters = () => setQuery({ page: '1', pageSize: query.pageSize } as OrdersQuery, 'remove');

  const refund = useCallback(async () => {
    if (!refunding) return;
    try {
      const { data } = await post<{ data: AdminOrder; meta: { alreadyRefunded: boolean } }>(`/live/orders/${refunding.documentId}/refund`, {});
      toggleNotification({
        type: 'success',
        message: data.meta.alreadyRefunded ? 'This order was already refunded.' : `Refunded ${formatAmount(data.data.amount, data.data.currency)}; the student's access is revoked.`,
      });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setRefunding(null);
      setReloads((n) => n + 1);
    }
  }, [post, refunding, toggleNotification]);

  const reconcile = async () => {
    setReconciling(true);
    try {
      const { data } = await post<{ data: ReconcileSummary }>('/live/orders/reconcile', {});
      const s = data.data;
      toggleNotification({
        type: s.errors ? 'warning' : 'success',
        message: `Checked ${s.checked} unpaid order(s) with ${s.mode}: ${s.fulfilled} fulfilled, ${s.failed} marked failed${s.errors ? `, ${s.errors} could not be checked` : ''}.`,
      });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setReconciling(false);
      setReloads((n) => n + 1);
    }
  };

  if (failed) return <Page.Error />;
  if (!orders) return <Page.Loading />;
  const { pagination, payments } = orders.meta;

  return (
    <Page.Main>
      <Page.Title>Orders</Page.Title>
      <Layouts.Header
        title="Orders"
        subtitle={
          payments.mode === 'sandbox'
            ? 'Sandbox checkout: no real money moves. Set the RAZORPAY_* variables to take payments.'
            : `Razorpay (${payments.keyId ?? 'not configured'})`
        }
        primaryAction={
          allowedActions.canReconcile ? (
            <Button startIcon={<ArrowClockwise />} onClick={reconcile} loading={reconciling} variant="secondary">
              Reconcile with {payments.mode === 'sandbox' ? 'sandbox' : 'Razorpay'}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Action
        startActions={
          <Flex gap={2} wrap="wrap">
            <SingleSelect
              aria-label="Status"
              size="S"
              value={query.status ?? ALL}
              onChange={(value: string | number) => filter({ status: value === ALL ? undefined : String(value) })}
            >
              <SingleSelectOption value={ALL}>All statuses</SingleSelectOption>
              {(['created', 'paid', 'failed', 'refunded'] as const).map((status) => (
                <SingleSelectOption key={status} value={status}>
                  {status}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <SingleSelect
              aria-label="Course"
              size="S"
              value={query.course ?? ALL}
              onChange={(value: string | number) => filter({ course: value === ALL ? undefined : String(value) })}
            >
              <SingleSelectOption value={ALL}>All courses</SingleSelectOption>
              {courses.map((course) => (
                <SingleSelectOption key={course.documentId} value={course.documentId}>
                  {course.title}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <DatePicker
              aria-label="From"
              placeholder="From"
              size="S"
              value={query.from ? new Date(query.from) : undefined}
              onChange={(date?: Date) => filter({ from: date ? startOfDay(date) : undefined })}
              onClear={() => filter({ from: undefined })}
              clearLabel="Clear the start date"
            />
            <DatePicker
              aria-label="To"
              placeholder="To"
              size="S"
              value={query.to ? new Date(new Date(query.to).getTime() - 1) : undefined}
              onChange={(date?: Date) => filter({ to: date ? startOfDay(date, 1) : undefined })}
              onClear={() => filter({ to: undefined })}
              clearLabel="Clear the end date"
            />
            {(query.status || query.course || query.from || query.to) && (
              <Button variant="tertiary" size="S" onClick={clearFilters}>
                Clear filters
              </Button>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        {orders.data.length === 0 ? (
          <EmptyStateLayout content="No orders match these filters." />
        ) : (
          <Table colCount={7} rowCount={orders.data.length + 1}>
            <Thead>
              <Tr>
                {['Created', 'Student', 'Course', 'Amount', 'Status', 'Razorpay', ''].map((label, i) => (
                  <Th key={i}>
                    <Typography variant="sigma">{label}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {orders.data.map((order) => (
                <Tr key={order.documentId}>
                  <Td>
                    <Typography>{formatDate(order.createdAt)}</Typography>
                  </Td>
                  <Td>
                    <Typography>{order.user?.email ?? '(deleted user)'}</Typography>
                  </Td>
                  <Td>
                    <Typography>{order.course.title ?? order.course.documentId}</Typography>
                  </Td>
                  <Td>
                    <Typography>{formatAmount(order.amount, order.currency)}</Typography>
                  </Td>
                  <Td>
                    <Badge variant={STATUS_VARIANT[order.status]}>{order.status}</Badge>
                    {order.failureReason && order.status === 'failed' && (
                      <Typography variant="pi" textColor="neutral600" tag="p">
                        {order.failureReason}
                      </Typography>
                    )}
                  </Td>
                  <Td>
                    <Typography variant="pi" tag="p">
                      {order.razorpayOrderId ?? '—'}
                    </Typography>
                    <Typography variant="pi" textColor="neutral600" tag="p">
                      {order.razorpayRefundId ?? order.razorpayPaymentId ?? ''}
                    </Typography>
                  </Td>
                  <Td>
                    {allowedActions.canRefund && order.status === 'paid' && (
                      <Button variant="danger-light" size="S" onClick={() => setRefunding(order)}>
                        Refund
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
        <Box paddingTop={4}>
          <Pagination.Root pageCount={pagination.pageCount} total={pagination.total} defaultPageSize={10}>
            <Pagination.PageSize />
            <Pagination.Links />
          </Pagination.Root>
        </Box>
      </Layouts.Content>

      <Dialog.Root open={refunding !== null} onOpenChange={(open: boolean) => !open && setRefunding(null)}>
        <ConfirmDialog title="Refund this order?" onConfirm={refund}>
          {refunding
            ? `${formatAmount(refunding.amount, refunding.currency)} goes back to ${refunding.user?.email ?? 'the student'} in full, and their access to "${refunding.course.title}" ends. This can't be undone.`
            : ''}
        </ConfirmDialog>
      </Dialog.Root>
    </Page.Main>
  );
};

const OrdersPage = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <OrdersList />
  </Page.Protect>
);

export default OrdersPage;
