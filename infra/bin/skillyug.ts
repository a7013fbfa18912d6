// The CDK app: `npm run infra:synth` (offline: no account, no lookups) or `npx cdk deploy --all -c …`
// (docs/operations.md, "Deploy"). Context comes from -c flags (the CDK CLI passes them in CDK_CONTEXT_JSON)
// or, when run directly with tsx, from `-c key=value` arguments.
import fs from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { createApp } from '../lib/app';
import { InfraConfigError } from '../lib/config';

/** `-c key=value` / `--context key=value` arguments, for a direct `tsx bin/skillyug.ts` run. */
function contextFromArgv(argv: string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '-c' && argv[i] !== '--context') continue;
    const [key, ...value] = (argv[++i] ?? '').split('=');
    if (!key || value.length === 0) throw new InfraConfigError([`"${argv[i] ?? ''}" after ${argv[i - 1]} must be key=value`]);
    context[key] = value.join('=');
  }
  return context;
}

try {
  const started = Date.now();
  // Under the CDK CLI, App() reads CDK_CONTEXT_JSON and CDK_OUTDIR itself; run directly, write infra/cdk.out.
  const outdir = process.env.CDK_OUTDIR ?? path.resolve(__dirname, '..', 'cdk.out');
  // Run directly: start from an empty directory, so no template of another environment's synth lingers.
  if (!process.env.CDK_OUTDIR) fs.rmSync(outdir, { recursive: true, force: true });
  const { app, config } = createApp({ ...new App().node.getAllContext(), ...contextFromArgv(process.argv.slice(2)) }, { outdir });
  const assembly = app.synth();
  console.log(`[infra] ${config.prefix} (${config.account}, ${config.region} + us-east-1): ${assembly.stacks.length} stacks → ${path.relative(process.cwd(), assembly.directory) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s; cdk-nag AwsSolutions: no unacknowledged finding`);
} catch (error) {
  if (error instanceof InfraConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
