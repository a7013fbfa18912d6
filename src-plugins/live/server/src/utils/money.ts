/**
 * Money as the API and payments keep it — whole paise (integers) — and as editors type and read
 * it: rupees, paise optional ("499", "499.50", "₹1,299"). Shared by the admin's price input
 * (admin/src/components/money), the cms's course price rule and the plugin's payments.
 * Browser-safe: no Node or Strapi imports.
 */

export const PAISE_PER_RUPEE = 100;

/** The largest price an integer column holds on both engines (2^31 − 1 paise ≈ ₹2.1 crore). */
export const MAX_PAISE = 2_147_483_647;

/**
 * The least a paid (not free) course may cost: ₹49. Well above Razorpay's ₹1 minimum, and low
 * enough for any real course — so a price typed in paise by mistake ("4.99" for ₹499) or
 * left at 0 on a paid course is refused instead of going on sale.
 */
export const MIN_PAID_COURSE_PAISE = 49 * PAISE_PER_RUPEE;

const RUPEES = /^(\d+)(?:\.(\d{1,2}))?$/;

export type ParsedRupees = { ok: true; paise: number } | { ok: false; message: string };

/**
 * What an editor typed, in rupees, to whole paise. Accepts an optional ₹ sign, Indian or
 * Western thousands separators and up to two decimals; refuses anything else with a message
 * for the editor. Computed from the digits (no floating point), so "0.29" is exactly 29 paise.
 */
export function parseRupees(input: string): ParsedRupees {
  const text = input.trim().replace(/^₹\s*/, '').replace(/^rs\.?\s*/i, '').replace(/,/g, '');
  if (text === '') return { ok: false, message: 'Enter a price in rupees, e.g. 499' };
  if (text.startsWith('-')) return { ok: false, message: 'A price can’t be negative' };
  const match = RUPEES.exec(text);
  if (!match) {
    return /^\d+\.\d{3,}$/.test(text)
      ? { ok: false, message: 'Use at most two decimals (paise), e.g. 499.50' }
      : { ok: false, message: 'Enter the price in rupees as a number, e.g. 499 or 499.50' };
  }
  const [, whole, fraction = ''] = match;
  const paise = Number(whole) * PAISE_PER_RUPEE + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(paise) || paise > MAX_PAISE) return { ok: false, message: `A price can be at most ${formatRupees(MAX_PAISE)}` };
  return { ok: true, paise };
}

/** Paise as the input shows them for editing: "499", "499.50" (no ₹, no separators). */
export function paiseToRupeesText(paise: number | null | undefined): string {
  if (paise === null || paise === undefined || !Number.isFinite(paise)) return '';
  const whole = Math.trunc(paise / PAISE_PER_RUPEE);
  const rest = Math.abs(paise % PAISE_PER_RUPEE);
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0')}`;
}

/** Paise for reading: "₹1,299", "₹499.50", "₹1,00,000" (Indian grouping; decimals only when there are paise). */
export function formatRupees(paise: number): string {
  const whole = paise % PAISE_PER_RUPEE === 0;
  return new Intl.NumberFormat('en-IN', {
    style: 'currency',
    currency: 'INR',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(paise / PAISE_PER_RUPEE);
}

/**
 * The course price rule, one place for the admin input's hint and the server's refusal:
 * a free course has no price (0); a course that isn't free costs at least MIN_PAID_COURSE_PAISE.
 * Returns the problem in the editor's words, or null when the pair is fine.
 */
export function coursePriceProblem({ isFree, price }: { isFree: boolean; price: number }): string | null {
  if (!Number.isInteger(price) || price < 0) return 'The price must be a whole number of paise, 0 or more';
  if (isFree) {
    return price === 0 ? null : `A free course has no price: set the price to ₹0, or untick “Is free” to sell it for ${formatRupees(price)}`;
  }
  if (price === 0) return `A paid course needs a price of at least ${formatRupees(MIN_PAID_COURSE_PAISE)}; or tick “Is free” to give it away`;
  if (price < MIN_PAID_COURSE_PAISE) {
    return `${formatRupees(price)} is below the ${formatRupees(MIN_PAID_COURSE_PAISE)} minimum for a paid course. Enter the price in rupees (e.g. 499 for ₹499), or tick “Is free”`;
  }
  return null;
}
