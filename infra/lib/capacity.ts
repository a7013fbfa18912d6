import { InfraConfigError, type InfraConfig } from './config';

// Capacity arithmetic, free of CDK imports (the config tests load it without the CDK).

/** RDS PostgreSQL's max_connections default: LEAST(DBInstanceClassMemory / 9531392, 5000). */
const INSTANCE_MEMORY_GIB: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32, '4xlarge': 64 };
export function databaseMaxConnections(instanceType: string): number {
  const [family, size] = instanceType.split('.');
  let gib = INSTANCE_MEMORY_GIB[size] ?? 4;
  if (/^(r|x)/.test(family) && size !== 'micro' && size !== 'small' && size !== 'medium') gib *= 2; // memory-optimized: 8 GiB per vCPU
  if (/^c/.test(family)) gib /= 2; // compute-optimized: 2 GiB per vCPU
  // Roughly 10% of the instance's memory goes to the OS and RDS's own processes.
  return Math.min(Math.floor((gib * 1024 ** 3 * 0.9) / 9_531_392), 5000);
}

/** Refuses a topology whose tasks could open more database connections than PostgreSQL accepts. */
export function checkCapacity(config: InfraConfig): void {
  const maxConnections = databaseMaxConnections(config.dbInstanceType);
  // Every Strapi task at its pool's maximum — twice over while a rolling deploy runs old and new side by
  // side (maximumPercent 200) — plus the migration task, plus 10 for operators and RDS itself.
  const needed = (2 * config.cmsMaxTasks + 1) * config.dbPoolMax + 10;
  if (needed > maxConnections) {
    throw new InfraConfigError([`cmsMaxTasks (${config.cmsMaxTasks}, doubled during a deploy) × dbPoolMax (${config.dbPoolMax}) needs ${needed} PostgreSQL connections; ${config.dbInstanceType} allows about ${maxConnections}. Lower one, or pick a larger dbInstanceType.`]);
  }
}

