import { parseEnv } from '..';

describe('DATABASE_PASSWORD and REDIS_PASSWORD', () => {
  it('go into the URLs, encoded, and win over a password already there', () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://skillyug@db.internal:5432/skillyug', DATABASE_PASSWORD: 'p@ss:w/rd%', REDIS_URL: 'rediss://cache.internal:6379', REDIS_PASSWORD: 'token123' } as NodeJS.ProcessEnv, 'site');
    expect(env.DATABASE_URL).toBe('postgres://skillyug:p%40ss%3Aw%2Frd%25@db.internal:5432/skillyug');
    expect(env.REDIS_URL).toBe('rediss://:token123@cache.internal:6379');
    expect(decodeURIComponent(new URL(env.DATABASE_URL!).password)).toBe('p@ss:w/rd%');
    expect(parseEnv({ DATABASE_URL: 'postgres://u:old@h/db', DATABASE_PASSWORD: 'new' } as NodeJS.ProcessEnv, 'site').DATABASE_URL).toBe('postgres://u:new@h/db');
  });

  it('leave the URLs alone when unset', () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://u:p@h:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' } as NodeJS.ProcessEnv, 'site');
    expect(env.DATABASE_URL).toBe('postgres://u:p@h:5432/db');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });
});
