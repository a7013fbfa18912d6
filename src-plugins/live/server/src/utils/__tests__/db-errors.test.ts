import { isUniqueViolation, connectionFailureOf, isConnectionError } from '../db-errors';

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

describe('connectionFailureOf', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('names the database for PostgreSQL shutting down, starting up, or a dropped pooled connection', () => {
    expect(connectionFailureOf(withCode('terminating connection due to administrator command', '57P01'))).toBe('database');
    expect(connectionFailureOf(withCode('terminating connection because of crash of another server process', '57P02'))).toBe('database');
    expect(connectionFailureOf(withCode('the database system is starting up', '57P03'))).toBe('database');
    expect(connectionFailureOf(withCode('the database system is shutting down', '57P03'))).toBe('database');
    expect(connectionFailureOf(withCode('connection failure', '08006'))).toBe('database');
    expect(connectionFailureOf(withCode('sorry, too many clients already', '53300'))).toBe('database');
    expect(connectionFailureOf(new Error('Connection terminated unexpectedly'))).toBe('database');
    expect(connectionFailureOf(new Error('Client has encountered a connection error and is not queryable'))).toBe('database');
    const poolTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?'), { name: 'KnexTimeoutError' });
    expect(connectionFailureOf(poolTimeout)).toBe('database');
  });

  it('names Redis for ioredis refusing commands while disconnected', () => {
    expect(connectionFailureOf(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe('redis');
    expect(connectionFailureOf(new Error('Connection is closed.'))).toBe('redis');
    expect(connectionFailureOf(Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }))).toBe('redis');
  });

  it('calls a bare socket failure "network": only a probe can tell PostgreSQL from S3', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(connectionFailureOf(withCode(`connect ${code} 10.0.0.5:5432`, code))).toBe('network');
    }
  });

  it('looks inside wrappers: AggregateError (one error per address tried) and causes', () => {
    const aggregate = new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')], '');
    expect(connectionFailureOf(aggregate)).toBe('network');
    expect(connectionFailureOf(new Error('select failed', { cause: withCode('the database system is shutting down', '57P03') }))).toBe('database');
    expect(isConnectionError(new Error('outer', { cause: new Error('Connection terminated') }))).toBe(true);
  });

  it('is null for everything that is not a lost connection', () => {
    expect(connectionFailureOf(withCode('duplicate key value violates unique constraint "x"', '23505'))).toBeNull();
    expect(connectionFailureOf(withCode('syntax error at or near "selec"', '42601'))).toBeNull();
    expect(connectionFailureOf(Object.assign(new Error('Defined query timeout of 100ms exceeded when running query.'), { name: 'KnexTimeoutError' }))).toBeNull();
    expect(connectionFailureOf(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    expect(connectionFailureOf(undefined)).toBeNull();
    expect(connectionFailureOf('ECONNREFUSED')).toBeNull();
    expect(isConnectionError(new Error('Invalid credentials'))).toBe(false);
  });
});
