import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../lib/app';

/** Production with the pipeline: the fullest topology (Multi-AZ, deletion protection, every stack). */
export const PRODUCTION_CONTEXT = {
  env: 'production',
  account: '210987654321',
  region: 'ap-south-1',
  domain: 'skillyug.example',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  connectionArn: 'arn:aws:codestar-connections:ap-south-1:210987654321:connection/0f0f0f0f-1111-2222-3333-444444444444',
  alarmEmail: 'ops@skillyug.example',
};

/** Synthesizes the app once (cdk-nag AwsSolutions included: synth throws on an unacknowledged finding). */
export function synthesize(context: Record<string, unknown>) {
  const built = createApp(context, { outdir: undefined });
  const assembly = built.app.synth();
  const template = (stack: Stack) => Template.fromStack(stack);
  return { ...built, assembly, template };
}

type Resource = { Type: string; Properties?: Record<string, any>; [key: string]: unknown };

/** Every resource of a type across the given templates, with its logical id. */
export function resourcesOf(templates: Template[], type: string): [string, Resource][] {
  return templates.flatMap((template) => Object.entries(template.findResources(type)) as [string, Resource][]);
}
