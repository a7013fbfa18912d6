/** Wraps a 0–1 progress callback so it only ever moves forward (a retried pass or a late line can't make it go back). */
export function monotonic(report?: (fraction: number) => void): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    if (!report || !(fraction > last)) return;
    last = fraction;
    report(Math.min(1, fraction));
  };
}
