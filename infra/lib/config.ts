import type { App } from 'aws-cdk-lib';

/**
 * Every environment fact the stacks need, from CDK context (`-c key=value` or cdk.json). Nothing is
 * looked up: the defaults below synthesize offline without an AWS account (`npm run infra:synth`);
 * a real deploy passes at least account, domain and hostedZoneId (docs/operations.md, "Deploy").
 */
export type EnvironmentName = 'production' | 'staging';

export interface InfraConfig {
  envName: EnvironmentName;
  /** Prefix of every stack and named resource: skillyug-production, skillyug-staging. */
  prefix: string;
  account: string;
  region: string;
  /** The site's host (apex); the API is api.<domain>, the ALB origin origin.<domain>. */
  domain: string;
  hostedZoneId: string;
  /** ACM certificate for the ALB in `region` covering domain + *.domain; created with DNS validation when unset. */
  certificateArn?: string;
  /** ACM certificate in us-east-1 for CloudFront; created with DNS validation when unset. */
  edgeCertificateArn?: string;
  /** CodeStar connection (GitHub) the pipeline's source uses; the pipeline stack is only built when set. */
  connectionArn?: string;
  repository: string;
  branch: string;
  /** The image tag the services start with before the pipeline's first deploy. */
  imageTag: string;
  /** The very first deploy: ECR is still empty, so the services are created with no task (autoscaling brings them up). */
  firstDeploy: boolean;
  alarmEmail?: string;
  multiAz: boolean;
  dbInstanceType: string;
  dbAllocatedStorageGb: number;
  /** Per-task database pool (DATABASE_POOL_MAX); the scaling limits in docs/operations.md derive from it. */
  dbPoolMax: number;
  redisNodeType: string;
  cmsMinTasks: number;
  cmsMaxTasks: number;
  siteMinTasks: number;
  siteMaxTasks: number;
  /** SHUTDOWN_GRACE_SECONDS: the ALB deregistration delay and ECS stopTimeout follow it. */
  shutdownGraceSeconds: number;
  logRetentionDays: number;
  recordingRetentionDays: number;
  /** The CloudFront distribution's id, once known: narrows the uploads bucket policy to it. */
  distributionId?: string;
  /** com.amazonaws.global.cloudfront.origin-facing prefix list in `region`: the ALB then only accepts CloudFront. */
  cloudFrontPrefixListId?: string;
  emailFrom: string;
}

export const DEFAULTS = {
  env: 'staging',
  account: '123456789012',
  region: 'ap-south-1',
  domain: 'staging.skillyug.example',
  hostedZoneId: 'Z0000000000000EXAMPLE',
  repository: 'skillyug/skillyug',
  branch: 'main',
  imageTag: 'latest',
} as const;

export class InfraConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid CDK context — fix these (-c key=value, see docs/operations.md "Deploy"):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InfraConfigError';
  }
}

type Context = Record<string, unknown>;

/** Reads and validates the context; throws an InfraConfigError naming every bad value. */
export function parseInfraConfig(context: Context): InfraConfig {
  const problems: string[] = [];
  const text = (key: string, fallback?: string): string | undefined => {
    const value = context[key];
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`${key}: must be a string`);
      return fallback;
    }
    return String(value).trim();
  };
  const matching = (key: string, pattern: RegExp, what: string, fallback?: string) => {
    const value = text(key, fallback);
    if (value !== undefined && !pattern.test(value)) problems.push(`${key}: "${value}" is not ${what}`);
    return value;
  };
  const integer = (key: string, fallback: number, min: number, max: number) => {
    const raw = text(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key}: must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const flag = (key: string, fallback: boolean) => {
    const raw = text(key);
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${key}: expected true or false, got "${raw}"`);
    return fallback;
  };

  const envName = text('env', DEFAULTS.env);
  if (envName !== 'production' && envName !== 'staging') problems.push(`env: must be production or staging, got "${envName}"`);
  const production = envName === 'production';
  const account = matching('account', /^\d{12}$/, 'a 12-digit AWS account id', DEFAULTS.account)!;
  const region = matching('region', /^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as ap-south-1', DEFAULTS.region)!;
  const domain = matching('domain', /^(?=.{4,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lowercase DNS name', DEFAULTS.domain)!;
  const hostedZoneId = matching('hostedZoneId', /^Z[A-Z0-9]{4,31}$/, 'a Route 53 hosted zone id (Z…)', DEFAULTS.hostedZoneId)!;
  const acmArn = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
  const certificateArn = matching('certificateArn', acmArn, 'an ACM certificate ARN');
  const edgeCertificateArn = matching('edgeCertificateArn', acmArn, 'an ACM certificate ARN');
  if (edgeCertificateArn && !edgeCertificateArn.includes(':acm:us-east-1:')) problems.push('edgeCertificateArn: CloudFront only uses certificates from us-east-1');
  if (certificateArn && !certificateArn.includes(`:acm:${region}:`)) problems.push(`certificateArn: the ALB's certificate must be in ${region}`);
  const connectionArn = matching('connectionArn', /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/, 'a CodeStar connection ARN');
  const alarmEmail = matching('alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address');
  const distributionId = matching('distributionId', /^E[A-Z0-9]{6,20}$/, 'a CloudFront distribution id');
  const cloudFrontPrefixListId = matching('cloudFrontPrefixListId', /^pl-[0-9a-f]{8,17}$/, 'a managed prefix list id (pl-…)');

  const config: InfraConfig = {
    envName: production ? 'production' : 'staging',
    prefix: `skillyug-${production ? 'production' : 'staging'}`,
    account,
    region,
    domain,
    hostedZoneId,
    certificateArn,
    edgeCertificateArn,
    connectionArn,
    repository: matching('repository', /^[\w.-]+\/[\w.-]+$/, 'owner/name', DEFAULTS.repository)!,
    branch: matching('branch', /^[\w./-]{1,100}$/, 'a branch name', DEFAULTS.branch)!,
    imageTag: matching('imageTag', /^[\w.-]{1,128}$/, 'an image tag', DEFAULTS.imageTag)!,
    firstDeploy: flag('firstDeploy', false),
    alarmEmail,
    multiAz: flag('multiAz', production),
    dbInstanceType: matching('dbInstanceType', /^[a-z0-9]+\.[a-z0-9]+$/, 'an instance type such as t4g.medium', production ? 'm7g.large' : 't4g.medium')!,
    dbAllocatedStorageGb: integer('dbAllocatedStorageGb', production ? 100 : 20, 20, 16_384),
    dbPoolMax: integer('dbPoolMax', 10, 1, 100),
    redisNodeType: matching('redisNodeType', /^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'a node type such as cache.t4g.small', production ? 'cache.m7g.large' : 'cache.t4g.small')!,
    cmsMinTasks: integer('cmsMinTasks', 2, 1, 50),
    cmsMaxTasks: integer('cmsMaxTasks', production ? 8 : 3, 1, 100),
    siteMinTasks: integer('siteMinTasks', 2, 1, 50),
    siteMaxTasks: integer('siteMaxTasks', production ? 6 : 3, 1, 100),
    shutdownGraceSeconds: integer('shutdownGraceSeconds', 20, 5, 110),
    logRetentionDays: integer('logRetentionDays', production ? 90 : 30, 1, 3653),
    recordingRetentionDays: integer('recordingRetentionDays', 365, 30, 3650),
    distributionId,
    cloudFrontPrefixListId,
    emailFrom: text('emailFrom', `Skillyug <no-reply@${domain}>`)!,
  };
  if (config.cmsMaxTasks < config.cmsMinTasks) problems.push('cmsMaxTasks: must be at least cmsMinTasks');
  if (config.siteMaxTasks < config.siteMinTasks) problems.push('siteMaxTasks: must be at least siteMinTasks');
  if (problems.length > 0) throw new InfraConfigError(problems);
  return config;
}

/** The context keys parseInfraConfig reads, from an app (cdk.json, -c flags). */
export function configFromApp(app: App): InfraConfig {
  const keys = ['env', 'account', 'region', 'domain', 'hostedZoneId', 'certificateArn', 'edgeCertificateArn', 'connectionArn', 'repository', 'branch', 'imageTag', 'firstDeploy', 'alarmEmail', 'multiAz', 'dbInstanceType', 'dbAllocatedStorageGb', 'dbPoolMax', 'redisNodeType', 'cmsMinTasks', 'cmsMaxTasks', 'siteMinTasks', 'siteMaxTasks', 'shutdownGraceSeconds', 'logRetentionDays', 'recordingRetentionDays', 'distributionId', 'cloudFrontPrefixListId', 'emailFrom'];
  return parseInfraConfig(Object.fromEntries(keys.map((key) => [key, app.node.tryGetContext(key)])));
}

/** Names derived from the config, shared by stacks that must not reference each other across regions. */
export const names = (config: InfraConfig) => ({
  apiHost: `api.${config.domain}`,
  originHost: `origin.${config.domain}`,
  uploadsBucket: `${config.prefix}-uploads-${config.account}-${config.region}`,
  recordingsBucket: `${config.prefix}-recordings-${config.account}-${config.region}`,
  siteAssetsBucket: `${config.prefix}-site-assets-${config.account}-us-east-1`,
  /** SSM parameter (us-east-1) holding the distribution id, read by the pipeline's invalidation step. */
  distributionIdParameter: `/${config.prefix}/edge/distribution-id`,
  ecrRepository: config.prefix,
  cluster: config.prefix,
  cmsService: `${config.prefix}-cms`,
  siteService: `${config.prefix}-site`,
  migrateFamily: `${config.prefix}-migrate`,
  secretPrefix: `${config.prefix}/`,
});
