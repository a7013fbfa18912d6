import fs from 'node:fs';
import crypto from 'node:crypto';
import { SECRET_VARIABLES, type SecretVariable } from './schema';

const randomSecret = () => crypto.randomBytes(32).toString('base64');

function generate(name: SecretVariable): string {
  return name === 'APP_KEYS' ? [randomSecret(), randomSecret(), randomSecret(), randomSecret()].join(',') : randomSecret();
}

/** A fresh value for every Strapi secret: what tests and benchmarks give their throw-away instances. */
export function generateSecrets(): Record<SecretVariable, string> {
  return Object.fromEntries(SECRET_VARIABLES.map((name) => [name, generate(name)])) as Record<SecretVariable, string>;
}

/**
 * On a developer machine, writes any missing Strapi secret into the git-ignored
 * .env once, so a fresh clone starts with nothing configured and the secrets
 * stay stable across restarts. Production never comes here: it must be given them.
 */
export function ensureDevelopmentSecrets(envFile: string, env: NodeJS.ProcessEnv): SecretVariable[] {
  const missing = SECRET_VARIABLES.filter((name) => !env[name]);
  if (missing.length === 0) return [];

  const lines = missing.map((name) => {
    const value = generate(name);
    env[name] = value;
    return `${name}=${value}`;
  });
  const existing = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  const header = existing.includes('# Generated Strapi secrets')
    ? ''
    : '# Generated Strapi secrets for local development (git-ignored; never commit)\n';
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  fs.writeFileSync(envFile, `${existing}${separator}${header}${lines.join('\n')}\n`);
  fs.chmodSync(envFile, 0o600); // secrets: readable by their owner only
  console.log(`[config] generated ${missing.join(', ')} into ${envFile}`);
  return missing;
}
