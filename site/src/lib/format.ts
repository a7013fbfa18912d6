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

/** 1020 → "17 min", 3900 → "1 h 5 min", 0 → "" (unknown). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const minutes = Math.max(1, Math.round(seconds / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${minutes} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "25 Nov 2025" in Indian English, or "" for a missing/invalid date. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('en-IN', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Asia/Kolkata' }).format(date);
}

export const capitalize = (value: string) => (value ? value[0].toUpperCase() + value.slice(1) : value);

/** "Ananya Rao and Vikram Nair". */
export const joinNames = (names: string[]) => new Intl.ListFormat('en', { type: 'conjunction' }).format(names);
