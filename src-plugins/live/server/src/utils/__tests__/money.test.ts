import { coursePriceProblem, formatRupees, MIN_PAID_COURSE_PAISE, paiseToRupeesText, parseRupees } from '../money';

describe('rupees typed by an editor → paise stored', () => {
  it.each([
    ['499', 49_900],
    ['499.5', 49_950],
    ['499.50', 49_950],
    ['0.29', 29], // no floating-point drift (0.29 * 100 is 28.999…)
    [' ₹1,299 ', 129_900],
    ['₹ 1,00,000.05', 10_000_005],
    ['Rs. 49', 4_900],
    ['0', 0],
  ])('%j is %d paise', (typed, paise) => {
    expect(parseRupees(typed)).toEqual({ ok: true, paise });
  });

  it.each([
    ['', /Enter a price in rupees/],
    ['abc', /as a number/],
    ['4.999', /at most two decimals/],
    ['-49', /can’t be negative/],
    ['1e3', /as a number/],
    ['99999999', /at most ₹2,14,74,836.47/],
  ])('%j is refused with a message', (typed, message) => {
    const parsed = parseRupees(typed);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('paise shown back to the editor', () => {
  it('edits as plain rupees and reads with ₹ and Indian grouping', () => {
    expect(paiseToRupeesText(49_900)).toBe('499');
    expect(paiseToRupeesText(49_950)).toBe('499.50');
    expect(paiseToRupeesText(5)).toBe('0.05');
    expect(paiseToRupeesText(null)).toBe('');
    expect(formatRupees(49_900)).toBe('₹499');
    expect(formatRupees(49_950)).toBe('₹499.50');
    expect(formatRupees(10_000_000)).toBe('₹1,00,000');
  });

  it('round-trips every price the input can show', () => {
    for (const paise of [0, 1, 99, 100, 4_900, 49_999, 129_900, 2_147_483_647]) {
      expect(parseRupees(paiseToRupeesText(paise))).toEqual({ ok: true, paise });
    }
  });
});

describe('the course price rule', () => {
  it('lets a free course at ₹0 and a paid course at ₹49 or more through', () => {
    expect(coursePriceProblem({ isFree: true, price: 0 })).toBeNull();
    expect(coursePriceProblem({ isFree: false, price: MIN_PAID_COURSE_PAISE })).toBeNull();
    expect(coursePriceProblem({ isFree: false, price: 49_900 })).toBeNull();
  });

  it('refuses a paid course typed in paise by mistake, one with no price, and a free course with a price', () => {
    expect(coursePriceProblem({ isFree: false, price: 499 })).toBe(
      '₹4.99 is below the ₹49 minimum for a paid course. Enter the price in rupees (e.g. 499 for ₹499), or tick “Is free”'
    );
    expect(coursePriceProblem({ isFree: false, price: 0 })).toMatch(/A paid course needs a price of at least ₹49/);
    expect(coursePriceProblem({ isFree: true, price: 49_900 })).toMatch(/A free course has no price/);
    expect(coursePriceProblem({ isFree: false, price: 4_900.5 })).toMatch(/whole number of paise/);
  });
});
