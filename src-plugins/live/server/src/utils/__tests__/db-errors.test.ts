import { isUniqueViolation } from '../db-errors';

describe('isUniqueViolation', () => {
  it('recognises a duplicate from PostgreSQL, SQLite and Strapi’s own unique check', () => {
    expect(isUniqueViolation(Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505' }))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('UNIQUE constraint failed: orders.razorpay_order_id'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(true);
    expect(isUniqueViolation(new Error('This attribute must be unique'))).toBe(true);
  });

  it('leaves every other failure alone', () => {
    expect(isUniqueViolation(Object.assign(new Error('null value in column "x"'), { code: '23502' }))).toBe(false);
    expect(isUniqueViolation(new Error('connection refused'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
