/**
 * A course price for display. Prices are stored in the currency's minor unit
 * (paise for INR); whole amounts drop the decimals ("₹499", not "₹499.00").
 */
export function formatPrice(minorUnits: number, currency: string, isFree = false): string {
  if (isFree || minorUnits === 0) return 'Free';
  const whole = minorUnits % 100 === 0;
  return new Intl.NumberFormat('en-IN', {
    style: 'currency',
    currency,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(minorUnits / 100);
}
