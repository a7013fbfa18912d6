import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { COURSE_UID } from '../constants';
import { findOrder } from '../store';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** ₹1,299.00 from 129900 paise. */
export const formatAmount = (paise: number, currency: string) =>
  new Intl.NumberFormat('en-IN', { style: 'currency', currency }).format(paise / 100);

/**
 * The purchase receipt, sent once per order by whichever path fulfilled it, through the email
 * plugin (the log in development, SMTP when configured). An email failure never touches the
 * payment: it is logged and that's all.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async send(orderId: number) {
    const order = await findOrder(strapi, { id: orderId });
    if (!order || order.status !== 'paid' || !order.user?.email) return false;
    const course = (await strapi.documents(COURSE_UID as any).findOne({ documentId: order.courseDocumentId, status: 'published', fields: ['slug'] } as any)) as { slug?: string } | null;
    const env = loadEnv('cms');
    const courseUrl = course?.slug ? `${env.SITE_URL}/courses/${course.slug}` : env.SITE_URL;
    const amount = formatAmount(order.amount, order.currency);
    const title = order.courseTitle ?? 'your course';
    const paidAt = new Date(order.paidAt ?? Date.now()).toLocaleString('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' });
    // The student's display name (usernames are internal ids since accounts got display names).
    const name = order.user.displayName || 'there';

    const lines = [
      ['Course', title],
      ['Amount paid', amount],
      ['Paid on', `${paidAt} IST`],
      ['Order', order.documentId],
      ['Payment', order.razorpayPaymentId ?? ''],
    ];
    const text = [
      `Hi ${name},`,
      '',
      `Thank you for your purchase. You now have access to "${title}".`,
      '',
      ...lines.map(([label, value]) => `${label}: ${value}`),
      '',
      `Start learning: ${courseUrl}`,
      '',
      '— Skillyug',
    ].join('\n');
    const html = `<p>Hi ${escapeHtml(name)},</p>
<p>Thank you for your purchase. You now have access to <strong>${escapeHtml(title)}</strong>.</p>
<table cellpadding="4">${lines.map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td><strong>${escapeHtml(value)}</strong></td></tr>`).join('')}</table>
<p><a href="${escapeHtml(courseUrl)}">Start learning</a></p>
<p>— Skillyug</p>`;

    await strapi.plugin('email').service('email').send({ to: order.user.email, subject: `Your Skillyug receipt: ${title}`, text, html });
    return true;
  },

  /** Fire and forget: never awaited by a payment path, never throws. */
  sendSafely(orderId: number): Promise<boolean> {
    return this.send(orderId).catch((error: Error) => {
      strapi.log.error(`[payments] receipt email for order ${orderId} failed: ${error?.message ?? error}`);
      return false;
    });
  },
});
