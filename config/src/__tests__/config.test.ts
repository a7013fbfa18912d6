import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv, ConfigError, SECRET_VARIABLES, ensureDevelopmentSecrets, corsOrigins, databaseConnection, apiDocsEnabled } from '../index';

const problemsOf = (raw: Record<string, string>, target: 'cms' | 'site' = 'cms') => {
  try {
    parseEnv(raw, target);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.path);
  }
};

describe('the environment schema', () => {
  it('gives the embedded mode when nothing is set', () => {
    const env = parseEnv({}, 'cms');
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 1337, LIVE_PROVIDER: 'local' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(databaseConnection(env, '/app').client).toBe('sqlite');
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://u@db:5432/x' }, 'cms');
    expect(databaseConnection(env, '/app')).toMatchObject({ client: 'postgres', connection: { connectionString: 'postgres://u@db:5432/x' } });
    expect(problemsOf({ DATABASE_URL: 'mysql://u@db/x' })).toEqual(['DATABASE_URL']);
  });

  it('names every missing secret in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([...SECRET_VARIABLES, 'SMTP_HOST']);
    // The site process doesn't hold Strapi's secrets.
    expect(problemsOf({ NODE_ENV: 'production' }, 'site')).toEqual([]);
  });

  it('lets a production build load without the runtime secrets, but still checks the rest', () => {
    expect(problemsOf({ NODE_ENV: 'production', SKILLYUG_BUILD: 'true' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production', SKILLYUG_BUILD: 'true', LIVE_PROVIDER: 'ivs', AWS_REGION: 'x' })).toEqual([
      'IVS_EVENTS_SECRET',
      'IVS_PLAYBACK_KEY_PAIR_ARN',
      'IVS_PLAYBACK_PRIVATE_KEY',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', SKILLYUG_BUILD: 'false' })).toEqual([...SECRET_VARIABLES, 'SMTP_HOST']);
  });

  it('serves the API document except in production, unless told', () => {
    expect(apiDocsEnabled(parseEnv({}, 'cms'))).toBe(true);
    expect(apiDocsEnabled(parseEnv({ NODE_ENV: 'production', SKILLYUG_BUILD: 'true' }, 'cms'))).toBe(false);
    expect(apiDocsEnabled(parseEnv({ NODE_ENV: 'production', SKILLYUG_BUILD: 'true', API_DOCS: 'true' }, 'cms'))).toBe(true);
    expect(apiDocsEnabled(parseEnv({ API_DOCS: 'false' }, 'cms'))).toBe(false);
  });

  it('names what a half-configured provider is missing', () => {
    expect(problemsOf({ LIVE_PROVIDER: 'ivs' })).toEqual(['AWS_REGION', 'IVS_EVENTS_SECRET', 'IVS_PLAYBACK_KEY_PAIR_ARN', 'IVS_PLAYBACK_PRIVATE_KEY']);
    expect(problemsOf({ CHAT_PROVIDER: 'ivs-chat' })).toEqual(['AWS_REGION']);
    expect(problemsOf({ CHAT_PROVIDER: 'ivs-chat', AWS_REGION: 'us-west-2', IVSCHAT_MESSAGING_URL: 'https://edge.example' })).toEqual(['IVSCHAT_MESSAGING_URL']);
    expect(problemsOf({ RAZORPAY_KEY_ID: 'rzp_test_1' })).toEqual(['RAZORPAY_KEY_SECRET', 'RAZORPAY_WEBHOOK_SECRET']);
    expect(problemsOf({ SMTP_USER: 'me' })).toEqual(['SMTP_PASS', 'SMTP_HOST']);
  });

  it('explains bad values', () => {
    expect(() => parseEnv({ PORT: 'eighty', LIVE_PROVIDER: 'youtube', SMTP_SECURE: 'maybe' }, 'cms')).toThrow(
      /PORT: .*\n.*LIVE_PROVIDER: .*\n.*SMTP_SECURE: expected true or false/
    );
  });

  it('limits CORS to the site and the API origins', () => {
    const env = parseEnv({ SITE_URL: 'https://skillyug.com/', PUBLIC_URL: 'https://api.skillyug.com' }, 'cms');
    expect(corsOrigins(env)).toEqual(['https://skillyug.com', 'https://api.skillyug.com']);
  });
});

describe('development secrets', () => {
  it('are generated once into .env and reused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-env-'));
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, 'PORT=1444');
    const env: NodeJS.ProcessEnv = {};
    expect(ensureDevelopmentSecrets(file, env)).toEqual([...SECRET_VARIABLES]);
    const written = fs.readFileSync(file, 'utf8');
    expect(written.startsWith('PORT=1444\n')).toBe(true);
    expect(env.APP_KEYS!.split(',')).toHaveLength(4);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // A second start reads them back and generates nothing new.
    const reread = Object.fromEntries(written.split('\n').filter((l) => l.includes('=')).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(ensureDevelopmentSecrets(file, reread)).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(written);
    expect(parseEnv(reread, 'cms').JWT_SECRET).toBe(env.JWT_SECRET);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('.env.example', () => {
  it('documents exactly the variables the schema reads, and parses to the embedded mode', () => {
    const dotenv = require('dotenv');
    const example = dotenv.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '.env.example')));
    const { envSchema } = require('../schema');
    expect(Object.keys(example).sort()).toEqual(Object.keys(envSchema.shape).sort());
    expect(parseEnv(example, 'cms')).toMatchObject({ LIVE_PROVIDER: 'local', PORT: 1337 });
  });
});
