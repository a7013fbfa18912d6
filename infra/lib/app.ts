import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromApp, type InfraConfig } from './config';
import { ComputeStack } from './compute-stack';
import { DataStack } from './data-stack';
import { EdgeStack } from './edge-stack';
import { LiveStack } from './live-stack';
import { MonitoringStack } from './monitoring-stack';
import { checkCapacity } from './capacity';
import { NetworkStack } from './network-stack';
import { PipelineStack } from './pipeline-stack';
import { StorageStack } from './storage-stack';

export interface SkillyugStacks {
  network: NetworkStack;
  storage: StorageStack;
  data: DataStack;
  live: LiveStack;
  compute: ComputeStack;
  monitoring: MonitoringStack;
  edge: EdgeStack;
  pipeline?: PipelineStack;
}

/** Every stack of one environment. Regional stacks in config.region; CloudFront and its WAF in us-east-1. */
export function buildStacks(app: App, config: InfraConfig): SkillyugStacks {
  checkCapacity(config);
  const env = { account: config.account, region: config.region };
  const id = (name: string) => `${config.prefix}-${name}`;
  const base = { config, env, terminationProtection: config.envName === 'production' };

  const network = new NetworkStack(app, id('network'), { ...base, description: 'Skillyug: VPC, subnets, flow logs' });
  const storage = new StorageStack(app, id('storage'), { ...base, description: 'Skillyug: uploads and recordings buckets' });
  const data = new DataStack(app, id('data'), { ...base, vpc: network.vpc, description: 'Skillyug: PostgreSQL, Redis, secrets' });
  const live = new LiveStack(app, id('live'), { ...base, recordings: storage.recordings, eventsSecret: data.generated.IVS_EVENTS_SECRET, description: 'Skillyug: IVS recording configuration, IVS events → webhook' });
  const compute = new ComputeStack(app, id('compute'), {
    ...base,
    vpc: network.vpc,
    data,
    accessLogs: storage.accessLogs,
    live: { recordingConfigurationArn: live.recordingConfiguration.attrArn },
    description: 'Skillyug: ECR, ECS Fargate (Strapi, site, migrations), ALB',
  });
  const monitoring = new MonitoringStack(app, id('monitoring'), { ...base, compute, data, live, description: 'Skillyug: alarms, SNS topic, dashboard' });
  const edge = new EdgeStack(app, id('edge'), { ...base, env: { account: config.account, region: 'us-east-1' }, description: 'Skillyug: CloudFront, WAF, site assets (us-east-1)' });
  const pipeline = config.connectionArn
    ? new PipelineStack(app, id('pipeline'), { ...base, compute, accessLogs: storage.accessLogs, description: 'Skillyug: CodePipeline (test, image, migrate, deploy, verify)' })
    : undefined;

  for (const stack of [network, storage, data, live, compute, monitoring, edge, pipeline]) {
    if (!stack) continue;
    Tags.of(stack).add('app', 'skillyug');
    Tags.of(stack).add('environment', config.envName);
  }
  return { network, storage, data, live, compute, monitoring, edge, pipeline };
}

/** CDK feature flags this app is written for (cdk.json carries the same for the CLI). */
export const FEATURE_FLAGS = {
  // Server access logs are granted by bucket policy, not the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/** The app as `npm run infra:synth` and the tests build it: context → config → stacks, cdk-nag AwsSolutions on. */
export function createApp(context: Record<string, unknown> = {}, options: { outdir?: string; nag?: boolean } = {}): { app: App; stacks: SkillyugStacks; config: InfraConfig } {
  const app = new App({ context: { ...FEATURE_FLAGS, ...context }, outdir: options.outdir });
  const config = configFromApp(app);
  const stacks = buildStacks(app, config);
  if (options.nag !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stacks, config };
}
