import { formatPrice } from '../format';

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
