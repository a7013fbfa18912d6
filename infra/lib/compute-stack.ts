import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import { names, type InfraConfig } from './config';
import type { DataStack } from './data-stack';

export const CMS_PORT = 1337;
export const SITE_PORT = 4321;
export const METRICS_PORT = 9464;
/** socket.io's pingInterval + pingTimeout (src-plugins/live/server/src/realtime/services/gateway.ts): 20 s + 20 s. */
export const SOCKET_IO_PING_WINDOW_SECONDS = 40;
/** The ALB keeps an idle WebSocket well past one ping window: a slow pong never looks like a dead peer. */
export const ALB_IDLE_TIMEOUT_SECONDS = 120;
/** The RDS CA bundle the image build adds (infra/pipeline/buildspec-image.yml): pg verifies the server. */
export const RDS_CA_BUNDLE = '/app/database/rds-global-bundle.pem';

/** What the live stack hands over: the IVS recording configuration the channels record with. */
export interface LiveResources {
  recordingConfigurationArn: string;
}

export interface ComputeStackProps extends StackProps {
  config: InfraConfig;
  vpc: ec2.IVpc;
  data: DataStack;
  /** The ALB's access logs. (The uploads and recordings buckets are addressed by their names: config.ts.) */
  accessLogs: s3.IBucket;
  live: LiveResources;
}

/** A liveness probe in the container (no curl in the slim image): node's fetch against /api/health. */
const livenessProbe = (portVariable: string): ecs.HealthCheck => ({
  command: ['CMD-SHELL', `node -e "fetch('http://127.0.0.1:'+process.env.${portVariable}+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`],
  interval: Duration.seconds(30),
  timeout: Duration.seconds(5),
  retries: 3,
  startPeriod: Duration.seconds(90),
});

/**
 * ECR, the ECS cluster and the two Fargate services from the same image (`node scripts/start.mjs cms`
 * and `… site`), the ALB in front of them, the once-per-deploy migration task definition, and the
 * least-privilege task roles.
 */
export class ComputeStack extends Stack {
  readonly repository: ecr.Repository;
  readonly cluster: ecs.Cluster;
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly cmsService: ecs.FargateService;
  readonly siteService: ecs.FargateService;
  readonly cmsTargets: elbv2.ApplicationTargetGroup;
  readonly siteTargets: elbv2.ApplicationTargetGroup;
  readonly migrateTask: ecs.FargateTaskDefinition;
  readonly taskSecurityGroup: ec2.SecurityGroup;
  readonly cmsTaskRole: iam.Role;
  readonly siteTaskRole: iam.Role;
  /** The private subnets the tasks (and the migration task) run in. */
  readonly taskSubnetIds: string[];

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    const { config, vpc, data, accessLogs, live } = props;
    const production = config.envName === 'production';
    const n = names(config);
    const grace = config.shutdownGraceSeconds;
    const tasks = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.taskSubnetIds = vpc.selectSubnets(tasks).subnetIds;

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: n.ecrRepository,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      // The pipeline tags each image with its commit; latest is the first-deploy fallback (-c imageTag).
      lifecycleRules: [{ description: 'keep the last 50 images', maxImageCount: 50 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: n.cluster,
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      defaultCloudMapNamespace: { name: `${config.prefix}.internal`, type: servicediscovery.NamespaceType.DNS_PRIVATE, vpc },
    });

    // ── Security groups ────────────────────────────────────────────────────────────────────────
    const albSg = new ec2.SecurityGroup(this, 'AlbSg', { vpc, description: 'ALB: HTTPS from CloudFront (or the internet), HTTP only to redirect' });
    const viewers = config.cloudFrontPrefixListId ? ec2.Peer.prefixList(config.cloudFrontPrefixListId) : ec2.Peer.anyIpv4();
    albSg.addIngressRule(viewers, ec2.Port.tcp(443), 'HTTPS');
    albSg.addIngressRule(viewers, ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    if (!config.cloudFrontPrefixListId) {
      Validations.of(albSg).acknowledge({
        id: 'AwsSolutions::AwsSolutions-EC23',
        reason: 'The ALB is the public origin behind CloudFront; with -c cloudFrontPrefixListId=pl-… it only accepts CloudFront\'s origin-facing ranges (docs/operations.md, production checklist).',
      });
    }
    this.taskSecurityGroup = new ec2.SecurityGroup(this, 'CmsSg', { vpc, description: 'Strapi tasks (and the migration task)' });
    const siteSg = new ec2.SecurityGroup(this, 'SiteSg', { vpc, description: 'Site tasks' });
    this.taskSecurityGroup.addIngressRule(albSg, ec2.Port.tcp(CMS_PORT), 'ALB → Strapi');
    this.taskSecurityGroup.addIngressRule(siteSg, ec2.Port.tcp(CMS_PORT), 'site → Strapi (API_URL over Cloud Map)');
    siteSg.addIngressRule(albSg, ec2.Port.tcp(SITE_PORT), 'ALB → site');
    // The data stack's groups admit these tasks; the rules live here so the data stack depends on nothing of ours.
    const admit = (id: string, group: ec2.ISecurityGroup, from: ec2.ISecurityGroup, port: number, description: string) =>
      new ec2.CfnSecurityGroupIngress(this, id, { groupId: group.securityGroupId, sourceSecurityGroupId: from.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, description });
    admit('CmsToDatabase', data.databaseSecurityGroup, this.taskSecurityGroup, 5432, 'Strapi → PostgreSQL');
    admit('CmsToRedis', data.redisSecurityGroup, this.taskSecurityGroup, 6379, 'Strapi → Redis');
    admit('SiteToRedis', data.redisSecurityGroup, siteSg, 6379, 'site → Redis (cache invalidation)');

    // ── Task roles: only the calls the code makes (grep `Command(` in src-plugins/live/server/src) ──
    this.cmsTaskRole = new iam.Role(this, 'CmsTaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'Strapi: IVS, IVS Chat and the product buckets' });
    const arn = (service: string, resource: string) => `arn:${this.partition}:${service}:${config.region}:${config.account}:${resource}`;
    this.cmsTaskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'IvsChannelsOfClasses',
      // sessions/providers/ivs/provider.ts; TagResource because CreateChannel sends tags.
      actions: ['ivs:CreateChannel', 'ivs:UpdateChannel', 'ivs:DeleteChannel', 'ivs:GetStream', 'ivs:GetStreamSession', 'ivs:StopStream', 'ivs:PutMetadata', 'ivs:CreateStreamKey', 'ivs:ListStreamKeys', 'ivs:DeleteStreamKey', 'ivs:TagResource'],
      resources: [arn('ivs', 'channel/*'), arn('ivs', 'stream-key/*'), live.recordingConfigurationArn],
    }));
    this.cmsTaskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'IvsChatRoomsOfClasses',
      // realtime/providers/ivs-chat/provider.ts (CHAT_PROVIDER=ivs-chat)
      actions: ['ivschat:CreateRoom', 'ivschat:DeleteRoom', 'ivschat:CreateChatToken', 'ivschat:DeleteMessage', 'ivschat:DisconnectUser', 'ivschat:TagResource'],
      resources: [arn('ivschat', 'room/*')],
    }));
    // recordings/storage/s3.ts + Strapi's aws-s3 upload provider: put (multipart too), get/presign, delete, list, HeadBucket (= ListBucket).
    // ARNs from the buckets' names (deterministic, config.ts): readable in the policy and in cdk-nag's findings.
    const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
    this.cmsTaskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'UploadsBucketObjects',
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: [`${bucketArn(n.uploadsBucket)}/*`],
    }));
    this.cmsTaskRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListProductBuckets', actions: ['s3:ListBucket'], resources: [bucketArn(n.uploadsBucket), bucketArn(n.recordingsBucket)] }));
    // IVS's raw recordings: read (import, replay), delete (retention).
    this.cmsTaskRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RecordingsBucketObjects', actions: ['s3:GetObject', 's3:DeleteObject'], resources: [`${bucketArn(n.recordingsBucket)}/*`] }));
    const cmsPolicy = this.cmsTaskRole.node.findChild('DefaultPolicy');
    const ivsArn = (service: string, resource: string) => `arn:<AWS::Partition>:${service}:${config.region}:${config.account}:${resource}`;
    Validations.of(cmsPolicy).acknowledge(
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${ivsArn('ivs', 'channel/*')}]`, reason: 'Channels are created per class at run time; their ARNs are not known at deploy time. Scoped to IVS channels of this account and region.' },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${ivsArn('ivs', 'stream-key/*')}]`, reason: 'Stream keys are created per class at run time; scoped to this account and region.' },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${ivsArn('ivschat', 'room/*')}]`, reason: 'Chat rooms are created per class at run time; scoped to this account and region.' },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn(n.uploadsBucket)}/*]`, reason: 'Media and processed recordings are objects under uploads/ and recordings/ with generated keys; scoped to the uploads bucket.' },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn(n.recordingsBucket)}/*]`, reason: 'IVS writes under ivs/v1/<account>/<channel>/… with generated keys; scoped to the recordings bucket.' }
    );
    this.siteTaskRole = new iam.Role(this, 'SiteTaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'The site calls no AWS API' });

    // ── Environment: plain values for configuration, `secrets` for everything secret ───────────
    const shared = {
      NODE_ENV: 'production',
      SITE_URL: `https://${config.domain}`,
      PUBLIC_URL: `https://${n.apiHost}`,
      REDIS_URL: data.redisUrl,
      REDIS_KEY_PREFIX: 'skillyug:',
      LIVE_PROVIDER: 'ivs',
      CHAT_PROVIDER: 'socketio',
      AWS_REGION: config.region,
      LOG_FORMAT: 'json',
      SHUTDOWN_GRACE_SECONDS: String(grace),
    };
    const cmsEnvironment = {
      ...shared,
      HOST: '0.0.0.0',
      PORT: String(CMS_PORT),
      DATABASE_URL: data.databaseUrl,
      DATABASE_SSL: 'true',
      DATABASE_POOL_MIN: '0',
      DATABASE_POOL_MAX: String(config.dbPoolMax),
      NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE,
      // CloudFront appends the viewer, the ALB appends CloudFront.
      TRUSTED_PROXY_HOPS: '2',
      IVS_CHANNEL_TYPE: 'STANDARD',
      IVS_RECORDING_CONFIGURATION_ARN: live.recordingConfigurationArn,
      UPLOAD_PROVIDER: 's3',
      S3_BUCKET: n.uploadsBucket,
      S3_REGION: config.region,
      // CloudFront serves uploads/* from the bucket (edge stack).
      CDN_URL: `https://${config.domain}`,
      SMTP_PORT: '587',
      EMAIL_FROM: config.emailFrom,
      API_DOCS: 'false',
      SEED_ON_EMPTY: 'false',
      METRICS_PORT: String(METRICS_PORT),
    };
    const g = data.generated;
    const operator = (key: string) => ecs.Secret.fromSecretsManager(data.operatorSecret, key);
    const cmsSecrets: Record<string, ecs.Secret> = {
      APP_KEYS: operator('APP_KEYS'),
      API_TOKEN_SALT: ecs.Secret.fromSecretsManager(g.API_TOKEN_SALT),
      ADMIN_JWT_SECRET: ecs.Secret.fromSecretsManager(g.ADMIN_JWT_SECRET),
      TRANSFER_TOKEN_SALT: ecs.Secret.fromSecretsManager(g.TRANSFER_TOKEN_SALT),
      JWT_SECRET: ecs.Secret.fromSecretsManager(g.JWT_SECRET),
      ENCRYPTION_KEY: ecs.Secret.fromSecretsManager(g.ENCRYPTION_KEY),
      DATA_ENCRYPTION_KEY: ecs.Secret.fromSecretsManager(g.DATA_ENCRYPTION_KEY),
      SITE_REVALIDATE_SECRET: ecs.Secret.fromSecretsManager(g.SITE_REVALIDATE_SECRET),
      IVS_EVENTS_SECRET: ecs.Secret.fromSecretsManager(g.IVS_EVENTS_SECRET),
      DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(data.databaseSecret, 'password'),
      REDIS_PASSWORD: ecs.Secret.fromSecretsManager(data.redisAuthToken),
      SMTP_HOST: operator('SMTP_HOST'),
      SMTP_USER: operator('SMTP_USER'),
      SMTP_PASS: operator('SMTP_PASS'),
      RAZORPAY_KEY_ID: operator('RAZORPAY_KEY_ID'),
      RAZORPAY_KEY_SECRET: operator('RAZORPAY_KEY_SECRET'),
      RAZORPAY_WEBHOOK_SECRET: operator('RAZORPAY_WEBHOOK_SECRET'),
      IVS_PLAYBACK_KEY_PAIR_ARN: operator('IVS_PLAYBACK_KEY_PAIR_ARN'),
      IVS_PLAYBACK_PRIVATE_KEY: operator('IVS_PLAYBACK_PRIVATE_KEY'),
    };
    const siteEnvironment = {
      ...shared,
      SITE_HOST: '0.0.0.0',
      SITE_PORT: String(SITE_PORT),
      // Strapi directly over Cloud Map (no hairpin through CloudFront, WAF and the ALB).
      API_URL: `http://cms.${config.prefix}.internal:${CMS_PORT}`,
      SITE_TRUSTED_PROXY_HOPS: '2',
    };
    const siteSecrets: Record<string, ecs.Secret> = {
      SITE_REVALIDATE_SECRET: ecs.Secret.fromSecretsManager(g.SITE_REVALIDATE_SECRET),
      DATA_ENCRYPTION_KEY: ecs.Secret.fromSecretsManager(g.DATA_ENCRYPTION_KEY),
      RAZORPAY_KEY_ID: operator('RAZORPAY_KEY_ID'),
      REDIS_PASSWORD: ecs.Secret.fromSecretsManager(data.redisAuthToken),
    };

    const image = ecs.ContainerImage.fromEcrRepository(this.repository, config.imageTag);
    const logGroup = (name: string) =>
      new logs.LogGroup(this, `${name}Logs`, { logGroupName: `/${config.prefix}/${name.toLowerCase()}`, retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.DESTROY });

    const envAck = (task: ecs.TaskDefinition) => {
      Validations.of(task).acknowledge({
        id: 'AwsSolutions::AwsSolutions-ECS2',
        reason: 'Only non-secret configuration (ports, URLs, modes) is in environment; every secret comes from Secrets Manager through `secrets` (asserted in infra/test).',
      });
      Validations.of(task.obtainExecutionRole().node.findChild('DefaultPolicy')).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken has no resource-level permissions (AWS documents Resource "*"); the pull, log and secret statements of this execution role name their resources.',
      });
    };

    // ── Strapi ────────────────────────────────────────────────────────────────────────────────
    const cmsTask = new ecs.FargateTaskDefinition(this, 'CmsTask', { family: n.cmsService, cpu: 1024, memoryLimitMiB: 2048, taskRole: this.cmsTaskRole, runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } });
    cmsTask.addContainer('cms', {
      containerName: 'cms',
      image,
      command: ['node', 'scripts/start.mjs', 'cms'],
      environment: cmsEnvironment,
      secrets: cmsSecrets,
      portMappings: [{ containerPort: CMS_PORT, name: 'http' }],
      healthCheck: livenessProbe('PORT'),
      // SIGTERM, then the app's drain (SHUTDOWN_GRACE_SECONDS), then a margin before SIGKILL.
      stopTimeout: Duration.seconds(Math.min(grace + 10, 120)),
      logging: ecs.LogDrivers.awsLogs({ logGroup: logGroup('Cms'), streamPrefix: 'cms', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
      readonlyRootFilesystem: false,
    });
    envAck(cmsTask);

    // ── Site ──────────────────────────────────────────────────────────────────────────────────
    const siteTask = new ecs.FargateTaskDefinition(this, 'SiteTask', { family: n.siteService, cpu: 512, memoryLimitMiB: 1024, taskRole: this.siteTaskRole, runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } });
    siteTask.addContainer('site', {
      containerName: 'site',
      image,
      command: ['node', 'scripts/start.mjs', 'site'],
      environment: siteEnvironment,
      secrets: siteSecrets,
      portMappings: [{ containerPort: SITE_PORT, name: 'http' }],
      healthCheck: livenessProbe('SITE_PORT'),
      stopTimeout: Duration.seconds(Math.min(grace + 10, 120)),
      logging: ecs.LogDrivers.awsLogs({ logGroup: logGroup('Site'), streamPrefix: 'site', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
    envAck(siteTask);

    // ── Migrations: one task per deploy, before the new tasks take traffic (pipeline stage "Migrate") ──
    this.migrateTask = new ecs.FargateTaskDefinition(this, 'MigrateTask', { family: n.migrateFamily, cpu: 1024, memoryLimitMiB: 2048, taskRole: this.cmsTaskRole });
    this.migrateTask.addContainer('migrate', {
      containerName: 'migrate',
      image,
      command: ['node', 'scripts/migrate.mjs'],
      environment: { ...cmsEnvironment, METRICS_PORT: '' },
      secrets: cmsSecrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: logGroup('Migrate'), streamPrefix: 'migrate' }),
    });
    envAck(this.migrateTask);

    // Unset: CloudFormation keeps the count autoscaling chose (a deploy never resets it); ECS starts a new
    // service with one task. The first deploy creates them with none, as no image exists yet.
    const desiredCount = config.firstDeploy ? 0 : undefined;
    const deployment = {
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      // New tasks get the whole boot (Strapi loads its schema) before the ALB's checks count.
      healthCheckGracePeriod: Duration.seconds(120),
      enableExecuteCommand: false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    };
    this.cmsService = new ecs.FargateService(this, 'CmsService', {
      ...deployment,
      serviceName: n.cmsService,
      cluster: this.cluster,
      taskDefinition: cmsTask,
      desiredCount,
      vpcSubnets: tasks,
      securityGroups: [this.taskSecurityGroup],
      cloudMapOptions: { name: 'cms', dnsTtl: Duration.seconds(10) },
    });
    this.siteService = new ecs.FargateService(this, 'SiteService', {
      ...deployment,
      serviceName: n.siteService,
      cluster: this.cluster,
      taskDefinition: siteTask,
      desiredCount,
      vpcSubnets: tasks,
      securityGroups: [siteSg],
    });

    // ── ALB ───────────────────────────────────────────────────────────────────────────────────
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: config.prefix,
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: albSg,
      idleTimeout: Duration.seconds(ALB_IDLE_TIMEOUT_SECONDS),
      dropInvalidHeaderFields: true,
      deletionProtection: production,
      http2Enabled: true,
    });
    this.alb.logAccessLogs(accessLogs, 'alb');

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZoneId, zoneName: config.domain });
    const certificate = config.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn)
      : new acm.Certificate(this, 'Certificate', { domainName: config.domain, subjectAlternativeNames: [`*.${config.domain}`], validation: acm.CertificateValidation.fromDns(zone) });

    this.alb.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }) });
    const https = this.alb.addListener('Https', {
      port: 443,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Unknown host' }),
    });

    const readiness = (port: number): elbv2.HealthCheck => ({
      path: '/api/ready',
      port: String(port),
      healthyHttpCodes: '200',
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      // 3 × 10 s: a task whose database or Redis is gone leaves rotation in 30 s; a draining one (503) too.
      unhealthyThresholdCount: 3,
    });
    this.cmsTargets = new elbv2.ApplicationTargetGroup(this, 'CmsTargets', {
      vpc,
      port: CMS_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.cmsService],
      healthCheck: readiness(CMS_PORT),
      deregistrationDelay: Duration.seconds(grace),
      // socket.io's long-polling fallback needs every request of a handshake on one task.
      stickinessCookieDuration: Duration.hours(1),
      loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
    });
    this.siteTargets = new elbv2.ApplicationTargetGroup(this, 'SiteTargets', {
      vpc,
      port: SITE_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.siteService],
      healthCheck: readiness(SITE_PORT),
      deregistrationDelay: Duration.seconds(grace),
    });
    https.addAction('Api', { priority: 10, conditions: [elbv2.ListenerCondition.hostHeaders([n.apiHost])], action: elbv2.ListenerAction.forward([this.cmsTargets]) });
    https.addAction('Site', { priority: 20, conditions: [elbv2.ListenerCondition.hostHeaders([config.domain, `www.${config.domain}`, n.originHost])], action: elbv2.ListenerAction.forward([this.siteTargets]) });

    new route53.ARecord(this, 'OriginRecord', { zone, recordName: n.originHost, target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.alb)) });

    // ── Autoscaling: CPU and requests per task ───────────────────────────────────────────────
    const cmsScaling = this.cmsService.autoScaleTaskCount({ minCapacity: config.cmsMinTasks, maxCapacity: config.cmsMaxTasks });
    cmsScaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) });
    // Per minute: 3,000 ≈ 50 req/s, about an eighth of what one process served in bench:join (docs/live.md).
    cmsScaling.scaleOnRequestCount('Requests', { requestsPerTarget: 3000, targetGroup: this.cmsTargets, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) });
    const siteScaling = this.siteService.autoScaleTaskCount({ minCapacity: config.siteMinTasks, maxCapacity: config.siteMaxTasks });
    siteScaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) });
    siteScaling.scaleOnRequestCount('Requests', { requestsPerTarget: 6000, targetGroup: this.siteTargets, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) });
  }
}
