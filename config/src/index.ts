import path from 'node:path';
import fs from 'node:fs';
import dotenv from 'dotenv';
import { envSchema, checkModes, SECRET_VARIABLES, type Env, type Target } from './schema';
import { ensureDevelopmentSecrets, generateSecrets } from './secrets';

export { envSchema, checkModes, SECRET_VARIABLES, ensureDevelopmentSecrets, generateSecrets };
export type { Env, Target };

/** The repository root: config/dist/index.js → ../.. */
export const repoRoot = path.resolve(__dirname, '..', '..');

export class ConfigError extends Error {
  constructor(public readonly problems: { path: string; message: string }[]) {
    super(
      'Invalid configuration — fix these environment variables (see .env.example):\n' +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')
    );
    this.name = 'ConfigError';
  }
}

/** Validates a raw environment; throws a ConfigError naming every bad or missing variable. */
export function parseEnv(raw: NodeJS.ProcessEnv, target: Target): Env {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(env)', message: issue.message }))
    );
  }
  const problems = checkModes(parsed.data, target);
  if (problems.length > 0) throw new ConfigError(problems);
  return withPasswords(parsed.data);
}

/**
 * DATABASE_PASSWORD / REDIS_PASSWORD into DATABASE_URL / REDIS_URL, so every consumer keeps reading
 * one URL while the task definition holds none with a credential in it (infra/lib/compute-stack.ts).
 */
function withPasswords(env: Env): Env {
  const put = (url: string | undefined, password: string | undefined) => {
    if (!url || !password) return url;
    const parsed = new URL(url);
    parsed.password = encodeURIComponent(password);
    return parsed.toString();
  };
  return { ...env, DATABASE_URL: put(env.DATABASE_URL, env.DATABASE_PASSWORD), REDIS_URL: put(env.REDIS_URL, env.REDIS_PASSWORD) };
}

const cache = new Map<Target, Env>();

/**
 * Loads the root .env (never overriding variables already set), generates
 * Strapi's secrets on a developer's first run, validates, and memoizes.
 */
export function loadEnv(target: Target = 'cms'): Env {
  const cached = cache.get(target);
  if (cached) return cached;

  const envFile = process.env.SKILLYUG_ENV_FILE ?? path.join(repoRoot, '.env');
  if (fs.existsSync(envFile)) dotenv.config({ path: envFile, quiet: true } as dotenv.DotenvConfigOptions);
  // A build needs no secret, so it writes none into .env either.
  const building = envSchema.shape.SKILLYUG_BUILD.safeParse(process.env.SKILLYUG_BUILD).data === true;
  if (target === 'cms' && !building && (process.env.NODE_ENV ?? 'development') === 'development') {
    ensureDevelopmentSecrets(envFile, process.env);
  }

  const env = parseEnv(process.env, target);
  cache.set(target, env);
  return env;
}

/** For tests that change process.env between loads. */
export function resetEnvCache(): void {
  cache.clear();
}

export * from './views';
export * from './logging';
