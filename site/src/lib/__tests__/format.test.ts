import { formatDate, formatDuration, formatPrice } from '../format';

describe('formatPrice', () => {
  it('shows whole rupees without decimals', () => {
    expect(formatPrice(49900, 'INR')).toBe('₹499');
  });

  it('groups digits the Indian way', () => {
    expect(formatPrice(12345600, 'INR')).toBe('₹1,23,456');
    expect(formatPrice(1000000000, 'INR')).toBe('₹1,00,00,000');
  });

  it('keeps two decimals when there are paise', () => {
    expect(formatPrice(49950, 'INR')).toBe('₹499.50');
    expect(formatPrice(12345, 'INR')).toBe('₹123.45');
  });

  it('says Free for a zero price or a free course', () => {
    expect(formatPrice(0, 'INR')).toBe('Free');
    expect(formatPrice(49900, 'INR', true)).toBe('Free');
  });
});

describe('formatDuration', () => {
  it('rounds to minutes and hours', () => {
    expect(formatDuration(1020)).toBe('17 min');
    expect(formatDuration(20)).toBe('1 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(0)).toBe('');
    expect(formatDuration(Number.NaN)).toBe('');
  });
});

describe('formatDate', () => {
  it('formats in India time', () => {
    expect(formatDate('2025-11-24T20:00:00Z')).toBe('25 Nov 2025');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });
});
