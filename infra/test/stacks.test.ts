import fs from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { envSchema, SECRET_VARIABLES } from '../../config/src/schema';
import { ALB_IDLE_TIMEOUT_SECONDS, SOCKET_IO_PING_WINDOW_SECONDS } from '../lib/compute-stack';
import { GENERATED_SECRETS, OPERATOR_SECRETS } from '../lib/data-stack';
import { AUTH_PATH_PREFIXES } from '../lib/edge-stack';
import { IVS_WEBHOOK_HEADER, IVS_WEBHOOK_PATH } from '../lib/live-stack';
import { PRODUCTION_CONTEXT, resourcesOf, synthesize } from './helpers';

const repo = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');

// One synth for the whole file (cdk-nag runs in it: see nag.test.ts for the staging variant).
const { stacks, config, template } = synthesize(PRODUCTION_CONTEXT);
const t = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, template(stack!)])) as Record<keyof typeof stacks, Template>;
const all = Object.values(t);

/** Secrets the app reads, named in config/src/schema.ts or added for the credentials URLs must not carry. */
const SECRET_NAMES = new Set<string>([...SECRET_VARIABLES, ...GENERATED_SECRETS, ...OPERATOR_SECRETS, 'DATABASE_PASSWORD', 'REDIS_PASSWORD', 'METRICS_TOKEN', 'S3_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'CLOUDFRONT_PRIVATE_KEY']);
/** Variables the task definitions set that config/src/schema.ts does not read itself (Node, and the pending credentials split). */
const OUTSIDE_SCHEMA = new Set(['NODE_EXTRA_CA_CERTS', 'DATABASE_PASSWORD', 'REDIS_PASSWORD']);

/** What a task definition's ValueFrom points at: the data stack's resource behind the imported export. */
function secretResourceType(valueFrom: unknown): string | undefined {
  const text = JSON.stringify(valueFrom);
  const exportName = /"Fn::ImportValue":"([^"]+)"/.exec(text)?.[1];
  if (!exportName) return undefined;
  const data = t.data.toJSON();
  const output = Object.values(data.Outputs as Record<string, { Value: { Ref?: string }; Export: { Name: string } }>).find((o) => o.Export.Name === exportName);
  return output?.Value.Ref ? data.Resources[output.Value.Ref]?.Type : undefined;
}

const containers = () =>
  resourcesOf([t.compute], 'AWS::ECS::TaskDefinition').map(([, task]) => task.Properties!.ContainerDefinitions[0] as { Name: string; Command: string[]; Environment: { Name: string; Value: unknown }[]; Secrets: { Name: string; ValueFrom: unknown }[]; StopTimeout?: number; HealthCheck?: { Command: string[] }; PortMappings?: { ContainerPort: number }[] });

describe('data: nothing public, everything encrypted', () => {
  it('runs PostgreSQL private, encrypted, Multi-AZ, backed up and protected in production', () => {
    t.data.hasResourceProperties('AWS::RDS::DBInstance', {
      PubliclyAccessible: false,
      StorageEncrypted: true,
      MultiAZ: true,
      DeletionProtection: true,
      BackupRetentionPeriod: Match.anyValue(),
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    const [, db] = resourcesOf([t.data], 'AWS::RDS::DBInstance')[0];
    expect(db.Properties!.BackupRetentionPeriod).toBeGreaterThanOrEqual(7);
    expect(db.DeletionPolicy).toBe('Snapshot');
    // The password is generated into Secrets Manager and resolved by CloudFormation, never written.
    expect(JSON.stringify(db.Properties!.MasterUserPassword)).toContain('{{resolve:secretsmanager:');
    t.data.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ 'rds.force_ssl': '1' }) });
    // Its subnets are the isolated "data" subnets.
    const [, subnets] = resourcesOf([t.data], 'AWS::RDS::DBSubnetGroup')[0];
    expect(JSON.stringify(subnets.Properties!.SubnetIds)).toMatch(/dataSubnet1.*dataSubnet2/);
  });

  it('runs Redis as a replicated group with TLS, encryption at rest and an AUTH token from Secrets Manager', () => {
    t.data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      NumCacheClusters: 2,
    });
    const [, redis] = resourcesOf([t.data], 'AWS::ElastiCache::ReplicationGroup')[0];
    expect(JSON.stringify(redis.Properties!.AuthToken)).toContain('{{resolve:secretsmanager:');
  });

  it('keeps every bucket private, encrypted and TLS-only', () => {
    const buckets = resourcesOf(all, 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThanOrEqual(6); // uploads, recordings, access logs, site assets, CDN logs, pipeline artifacts
    for (const [id, bucket] of buckets) {
      expect([id, bucket.Properties!.PublicAccessBlockConfiguration]).toEqual([id, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }]);
      expect([id, bucket.Properties!.BucketEncryption?.ServerSideEncryptionConfiguration?.length]).toEqual([id, 1]);
    }
    const policies = resourcesOf(all, 'AWS::S3::BucketPolicy');
    for (const [id] of buckets) {
      const policy = policies.find(([, p]) => JSON.stringify(p.Properties!.Bucket).includes(id));
      expect([id, JSON.stringify(policy?.[1].Properties!.PolicyDocument ?? {})]).toEqual([id, expect.stringContaining('"aws:SecureTransport":"false"')]);
      // No statement grants anyone at all.
      expect(JSON.stringify(policy?.[1].Properties!.PolicyDocument)).not.toMatch(/"Principal":"\*","Action":"s3:Get/);
    }
  });

  it('lets CloudFront read uploads/ only, and expires or archives recordings', () => {
    t.storage.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudFrontReadsUploads', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/uploads/*'])] }) })]) },
    });
    const [, recordings] = resourcesOf([t.storage], 'AWS::S3::Bucket').find(([id]) => id.startsWith('Recordings'))!;
    const rules = recordings.Properties!.LifecycleConfiguration.Rules;
    expect(rules.some((rule: any) => rule.ExpirationInDays === config.recordingRetentionDays)).toBe(true);
    expect(rules.some((rule: any) => rule.Transitions?.length > 0)).toBe(true);
  });
});

describe('compute: the ALB and the two services', () => {
  it('checks readiness (/api/ready) on both target groups, drains for SHUTDOWN_GRACE_SECONDS, sticks sockets to a task', () => {
    const groups = resourcesOf([t.compute], 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(groups.map(([, g]) => g.Properties!.Port).sort()).toEqual([1337, 4321]);
    for (const [, group] of groups) {
      expect(group.Properties).toMatchObject({ HealthCheckPath: '/api/ready', Matcher: { HttpCode: '200' } });
      expect(group.Properties!.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: String(config.shutdownGraceSeconds) });
    }
    const cms = groups.find(([, g]) => g.Properties!.Port === 1337)![1];
    expect(cms.Properties!.TargetGroupAttributes).toContainEqual({ Key: 'stickiness.enabled', Value: 'true' });
  });

  it('keeps WebSockets open past socket.io\'s ping window, and redirects HTTP to HTTPS', () => {
    expect(ALB_IDLE_TIMEOUT_SECONDS).toBeGreaterThan(SOCKET_IO_PING_WINDOW_SECONDS);
    // The ping window is the gateway's own setting.
    const gateway = read('src-plugins/live/server/src/realtime/services/gateway.ts');
    const interval = Number(/pingInterval:\s*([\d_]+)/.exec(gateway)![1].replace(/_/g, ''));
    const timeout = Number(/pingTimeout:\s*([\d_]+)/.exec(gateway)![1].replace(/_/g, ''));
    expect((interval + timeout) / 1000).toBeLessThanOrEqual(SOCKET_IO_PING_WINDOW_SECONDS);
    t.compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: String(ALB_IDLE_TIMEOUT_SECONDS) }, { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }]),
    });
    t.compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] });
    t.compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', Certificates: Match.anyValue() });
  });

  it('runs Strapi and the site from one image with their roles, rolling back a failed deploy', () => {
    const byName = Object.fromEntries(containers().map((c) => [c.Name, c]));
    expect(byName.cms.Command).toEqual(['node', 'scripts/start.mjs', 'cms']);
    expect(byName.site.Command).toEqual(['node', 'scripts/start.mjs', 'site']);
    expect(byName.migrate.Command).toEqual(['node', 'scripts/migrate.mjs']);
    for (const name of ['cms', 'site']) {
      expect(byName[name].HealthCheck!.Command.join(' ')).toContain('/api/health');
      // SIGKILL only after the app's own drain.
      expect(byName[name].StopTimeout).toBeGreaterThan(config.shutdownGraceSeconds);
    }
    for (const [, service] of resourcesOf([t.compute], 'AWS::ECS::Service')) {
      expect(service.Properties!.DeploymentConfiguration).toMatchObject({ DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100 });
      expect(service.Properties!.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    }
  });

  it('scales each service on CPU and on requests per task', () => {
    const policies = resourcesOf([t.compute], 'AWS::ApplicationAutoScaling::ScalingPolicy').map(([, p]) => p.Properties!.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType);
    expect(policies.sort()).toEqual(['ALBRequestCountPerTarget', 'ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization', 'ECSServiceAverageCPUUtilization']);
  });

  it('passes every secret as a Secrets Manager reference, never as a value', () => {
    for (const container of containers()) {
      const environment = container.Environment.map((e) => e.Name);
      const secrets = container.Secrets.map((s) => s.Name);
      expect([container.Name, environment.filter((name) => SECRET_NAMES.has(name))]).toEqual([container.Name, []]);
      for (const secret of container.Secrets) expect([secret.Name, secretResourceType(secret.ValueFrom)]).toEqual([secret.Name, expect.stringMatching(/^AWS::SecretsManager::(Secret|SecretTargetAttachment)$/)]);
      // Every variable is one the app reads (config/src/schema.ts), or a documented exception.
      for (const name of [...environment, ...secrets]) expect([name, name in envSchema.shape || OUTSIDE_SCHEMA.has(name)]).toEqual([name, true]);
      // No credentials inside URLs.
      for (const { Name, Value } of container.Environment) expect([Name, JSON.stringify(Value)]).not.toEqual([Name, expect.stringMatching(/:\/\/[^/@"]*:[^/@"]*@/)]);
    }
    const cms = containers().find((c) => c.Name === 'cms')!;
    // Everything the production check in config/src/schema.ts requires arrives as a secret.
    for (const name of [...SECRET_VARIABLES, 'SMTP_HOST', 'IVS_EVENTS_SECRET', 'IVS_PLAYBACK_KEY_PAIR_ARN', 'IVS_PLAYBACK_PRIVATE_KEY', 'DATABASE_PASSWORD', 'REDIS_PASSWORD']) {
      expect(cms.Secrets.map((s) => s.Name)).toContain(name);
    }
    const env = Object.fromEntries(cms.Environment.map((e) => [e.Name, e.Value]));
    expect(env).toMatchObject({ NODE_ENV: 'production', LIVE_PROVIDER: 'ivs', UPLOAD_PROVIDER: 's3', LOG_FORMAT: 'json', DATABASE_SSL: 'true', SHUTDOWN_GRACE_SECONDS: '20', METRICS_PORT: '9464' });
    expect(JSON.stringify(env.REDIS_URL)).toContain('rediss://');
    expect(JSON.stringify(env.DATABASE_URL)).toMatch(/postgres:\/\/skillyug@/);
  });

  it('grants the Strapi task only the IVS, IVS Chat and S3 calls the code makes, on the product\'s resources; the site none', () => {
    const sdkCalls = new Set<string>();
    const sources = ['src-plugins/live/server/src/sessions/providers/ivs/provider.ts', 'src-plugins/live/server/src/realtime/providers/ivs-chat/provider.ts', 'src-plugins/live/server/src/recordings/storage/s3.ts'];
    for (const file of sources) for (const [, command] of read(file).matchAll(/new (\w+)Command\(/g)) sdkCalls.add(command);
    const [, policy] = resourcesOf([t.compute], 'AWS::IAM::Policy').find(([id]) => id.startsWith('CmsTaskRoleDefaultPolicy'))!;
    const statements = policy.Properties!.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Effect: string }[];
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    // Each IVS / IVS Chat action is a call in the code (TagResource: CreateChannel/CreateRoom send tags).
    for (const action of actions.filter((a) => a.startsWith('ivs'))) {
      const call = action.split(':')[1];
      expect([action, sdkCalls.has(call) || call === 'TagResource']).toEqual([action, true]);
    }
    // …and each IVS call the provider makes at run time is granted (the key pair import and recording configuration are setup, not run time).
    for (const call of sdkCalls) {
      if (['ImportPlaybackKeyPair', 'CreateRecordingConfiguration', 'ListObjectsV2', 'HeadBucket', 'HeadObject', 'DeleteObjects', 'PutObject', 'GetObject'].includes(call)) continue;
      expect(actions.some((a) => a.endsWith(`:${call}`))).toBe(true);
    }
    expect(actions.filter((a) => a.startsWith('s3:')).sort()).toEqual(['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:DeleteObject', 's3:GetObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(JSON.stringify(statement.Action)).not.toContain('*');
      expect(statement.Resource).not.toEqual('*');
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toMatch(new RegExp(`${config.account}|${config.prefix}|RecordingConfiguration`));
    }
    // The site's role has no policy at all.
    expect(resourcesOf([t.compute], 'AWS::IAM::Policy').filter(([id]) => id.startsWith('SiteTaskRole'))).toEqual([]);
  });

  it('exposes no RTMP port (1935) anywhere: production ingests through IVS', () => {
    for (const template of all) expect(JSON.stringify(template.toJSON())).not.toMatch(/\b1935\b/);
    for (const container of containers()) expect(container.PortMappings?.map((p) => p.ContainerPort) ?? []).not.toContain(1935);
  });
});

describe('edge: CloudFront, WAF, DNS', () => {
  it('puts the WAF (managed rule groups + a rate limit on the sign-in paths) in front of the distribution', () => {
    t.edge.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    const [, acl] = resourcesOf([t.edge], 'AWS::WAFv2::WebACL')[0];
    const rules = acl.Properties!.Rules as any[];
    const managed = rules.filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => r.Statement.ManagedRuleGroupStatement.Name);
    expect(managed).toEqual(expect.arrayContaining(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']));
    const rate = rules.find((r) => r.Statement.RateBasedStatement);
    expect(rate.Action).toHaveProperty('Block');
    const scoped = JSON.stringify(rate.Statement.RateBasedStatement.ScopeDownStatement);
    for (const prefix of AUTH_PATH_PREFIXES) expect(scoped).toContain(prefix);
    // Every rate-limited sign-in endpoint of docs/auth.md is under one of the prefixes.
    const authPaths = [...read('docs/auth.md').matchAll(/^\| `POST (\/api\/[^`]+)`/gm)].map((m) => m[1]);
    expect(authPaths.length).toBeGreaterThan(5);
    for (const authPath of authPaths) expect([authPath, AUTH_PATH_PREFIXES.some((p) => authPath.startsWith(p))]).toEqual([authPath, true]);
    t.edge.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue(), ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }) }) });
  });

  it('serves the site and the API through CloudFront, static files through origin access control', () => {
    const [, distribution] = resourcesOf([t.edge], 'AWS::CloudFront::Distribution')[0];
    const d = distribution.Properties!.DistributionConfig;
    expect(d.Aliases).toEqual([config.domain, `www.${config.domain}`, `api.${config.domain}`]);
    expect(d.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(d.CacheBehaviors.map((b: any) => b.PathPattern).sort()).toEqual(['/_astro/*', '/uploads/*']);
    expect(d.Origins.filter((o: any) => o.OriginAccessControlId).length).toBe(2);
    // The dynamic cache keys on Authorization and cookies: a signed-in answer is never shared.
    t.edge.hasResourceProperties('AWS::CloudFront::CachePolicy', { CachePolicyConfig: Match.objectLike({ DefaultTTL: 0, ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({ HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization', 'Host'] }, CookiesConfig: { CookieBehavior: 'all' } }) }) });
    t.edge.resourceCountIs('AWS::Route53::RecordSet', 6);
  });
});

describe('live: IVS', () => {
  it('records to the recordings bucket and sends IVS stream and recording state to the webhook with the secret header', () => {
    t.live.hasResourceProperties('AWS::IVS::RecordingConfiguration', { DestinationConfiguration: { S3: { BucketName: Match.anyValue() } }, ThumbnailConfiguration: Match.objectLike({ Storage: ['SEQUENTIAL', 'LATEST'] }) });
    t.live.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.ivs'], 'detail-type': ['IVS Stream State Change', 'IVS Recording State Change'] } });
    t.live.hasResourceProperties('AWS::Events::ApiDestination', { HttpMethod: 'POST', InvocationEndpoint: `https://api.${config.domain}${IVS_WEBHOOK_PATH}` });
    const [, connection] = resourcesOf([t.live], 'AWS::Events::Connection')[0];
    const auth = connection.Properties!.AuthParameters.ApiKeyAuthParameters;
    expect(auth.ApiKeyName).toBe(IVS_WEBHOOK_HEADER);
    expect(JSON.stringify(auth.ApiKeyValue)).toContain('{{resolve:secretsmanager:');
    // The path and header are the plugin's own.
    expect(read('src-plugins/live/server/src/sessions/routes/content-api.ts')).toContain(`path: '${IVS_WEBHOOK_PATH.replace('/api/live', '')}'`);
    expect(read('src-plugins/live/server/src/sessions/providers/ivs/events.ts')).toContain(`IVS_EVENTS_HEADER = '${IVS_WEBHOOK_HEADER}'`);
  });
});

describe('monitoring: alarms → SNS', () => {
  const alarms = () => resourcesOf([t.monitoring], 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const alarm = (name: string) => {
    const found = alarms().find((a) => a.AlarmName === `${config.prefix}-${name}`);
    if (!found) throw new Error(`no alarm ${name}`);
    return found;
  };

  it('has an alarm for each failure the runbook covers, all notifying the topic', () => {
    const names = alarms().map((a) => a.AlarmName.replace(`${config.prefix}-`, ''));
    expect(names).toEqual(expect.arrayContaining(['Alb5xx', 'CmsTarget5xx', 'CmsLatencyP99', 'CmsUnhealthyTargets', 'CmsNoHealthyTargets', 'SiteUnhealthyTargets', 'CmsCpu', 'CmsMemory', 'SiteCpu', 'SiteMemory', 'RdsCpu', 'RdsFreeStorage', 'RdsConnections', 'RedisMemory001', 'RedisEvictions001', 'IvsStreamFailures', 'IvsLimitBreaches', 'IvsWebhookFailures', 'IvsWebhookDeadLetters']));
    for (const a of alarms()) {
      expect(a.AlarmActions).toHaveLength(1);
      expect(JSON.stringify(a.AlarmActions)).toContain('Alarms');
    }
    // Every alarm has its section in the runbook.
    const runbook = read('docs/operations.md');
    for (const name of names) expect([name, runbook.includes(`#### ${name}`) || runbook.includes(`<a id="${name.toLowerCase()}"></a>`)]).toEqual([name, true]);
    t.monitoring.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: PRODUCTION_CONTEXT.alarmEmail });
    t.monitoring.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('uses sane thresholds', () => {
    expect(alarm('CmsLatencyP99')).toMatchObject({ ExtendedStatistic: 'p99', MetricName: 'TargetResponseTime' });
    expect(alarm('CmsLatencyP99').Threshold).toBeLessThanOrEqual(5);
    for (const name of ['CmsCpu', 'CmsMemory', 'SiteCpu', 'SiteMemory', 'RdsCpu', 'RedisMemory001']) {
      expect([name, alarm(name).Threshold]).toEqual([name, expect.any(Number)]);
      expect(alarm(name).Threshold).toBeGreaterThanOrEqual(70);
      expect(alarm(name).Threshold).toBeLessThanOrEqual(90);
    }
    expect(alarm('CmsUnhealthyTargets')).toMatchObject({ MetricName: 'UnHealthyHostCount', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm('CmsNoHealthyTargets')).toMatchObject({ MetricName: 'HealthyHostCount', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
    // 10% of the allocated storage, in bytes.
    expect(alarm('RdsFreeStorage')).toMatchObject({ MetricName: 'FreeStorageSpace', ComparisonOperator: 'LessThanOrEqualToThreshold', Threshold: Math.round(config.dbAllocatedStorageGb * 0.1 * 1024 ** 3) });
    expect(alarm('RdsConnections').Threshold).toBeGreaterThan((2 * config.cmsMaxTasks + 1) * config.dbPoolMax);
    expect(alarm('RedisEvictions001')).toMatchObject({ MetricName: 'Evictions', Namespace: 'AWS/ElastiCache', Threshold: 1 });
    expect(alarm('IvsStreamFailures')).toMatchObject({ Namespace: 'AWS/Events', MetricName: 'TriggeredRules', Threshold: 1 });
    t.monitoring.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.ivs'], detail: { $or: [{ event_name: ['Stream Failure'] }, { recording_status: ['Recording Start Failure', 'Recording End Failure'] }] } }) });
  });

  it('keeps every log group on a retention', () => {
    const groups = resourcesOf(all, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(8);
    for (const [id, group] of groups) expect([id, group.Properties!.RetentionInDays]).toEqual([id, config.logRetentionDays]);
  });
});

describe('pipeline', () => {
  it('tests, builds, migrates once, ships assets, deploys, then verifies', () => {
    const [, pipeline] = resourcesOf([t.pipeline], 'AWS::CodePipeline::Pipeline')[0];
    const stages = pipeline.Properties!.Stages as { Name: string; Actions: { ActionTypeId: { Provider: string } }[] }[];
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Test', 'Image', 'Migrate', 'Assets', 'Deploy', 'Verify']);
    expect(stages[0].Actions[0].ActionTypeId.Provider).toBe('CodeStarSourceConnection');
    expect(stages[5].Actions.map((a) => a.ActionTypeId.Provider)).toEqual(['ECS', 'ECS']);
    // Each CodeBuild project's buildspec is a file in the repository, doing what its stage says.
    const specs = resourcesOf([t.pipeline], 'AWS::CodeBuild::Project').map(([, p]) => p.Properties!.Source.BuildSpec as string);
    expect(specs.sort()).toEqual(['infra/pipeline/buildspec-assets.yml', 'infra/pipeline/buildspec-image.yml', 'infra/pipeline/buildspec-migrate.yml', 'infra/pipeline/buildspec-release.yml', 'infra/pipeline/buildspec-test.yml']);
    expect(read('infra/pipeline/buildspec-test.yml')).toMatch(/\.ci\/run/);
    expect(read('infra/pipeline/buildspec-test.yml')).toMatch(/postgres:16[\s\S]*redis:7/);
    expect(read('infra/pipeline/run-migration.sh')).toMatch(/run-task[\s\S]*tasks-stopped[\s\S]*exitCode/);
    const smoke = read('infra/pipeline/smoke.sh');
    expect(smoke).toContain('/api/health /api/ready');
    expect(smoke).toMatch(/API_URL.*SITE_URL/);
    expect(JSON.parse(read('package.json')).scripts.migrate).toBe('node scripts/migrate.mjs');
  });
});
