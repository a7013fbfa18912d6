import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { names, type InfraConfig } from './config';

/** Strapi's secrets and the product's own, generated here (random, never in a template). */
export const GENERATED_SECRETS = [
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'DATA_ENCRYPTION_KEY',
  'SITE_REVALIDATE_SECRET',
  'IVS_EVENTS_SECRET',
] as const;

/**
 * Values only the operator has (docs/operations.md, "Secrets to fill in"): one JSON secret, created
 * here with empty fields and filled with `aws secretsmanager put-secret-value`. APP_KEYS is here
 * because it is a comma-separated list, which Secrets Manager cannot generate.
 */
export const OPERATOR_SECRETS = [
  'APP_KEYS',
  'SMTP_HOST',
  'SMTP_USER',
  'SMTP_PASS',
  'RAZORPAY_KEY_ID',
  'RAZORPAY_KEY_SECRET',
  'RAZORPAY_WEBHOOK_SECRET',
  'IVS_PLAYBACK_KEY_PAIR_ARN',
  'IVS_PLAYBACK_PRIVATE_KEY',
] as const;

export type GeneratedSecret = (typeof GENERATED_SECRETS)[number];

/**
 * RDS PostgreSQL and ElastiCache Redis in the isolated subnets, and every secret the app reads.
 * Security groups are open to nothing here: the compute stack allows its tasks in.
 */
export class DataStack extends Stack {
  readonly database: rds.DatabaseInstance;
  readonly databaseSecret: secretsmanager.ISecret;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  readonly redis: elasticache.CfnReplicationGroup;
  readonly redisAuthToken: secretsmanager.Secret;
  readonly redisSecurityGroup: ec2.SecurityGroup;
  readonly generated: Record<GeneratedSecret, secretsmanager.Secret>;
  readonly operatorSecret: secretsmanager.Secret;
  readonly databaseName = 'skillyug';

  constructor(scope: Construct, id: string, props: StackProps & { config: InfraConfig; vpc: ec2.IVpc }) {
    super(scope, id, props);
    const { config, vpc } = props;
    const production = config.envName === 'production';
    const n = names(config);
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    // ── Secrets ────────────────────────────────────────────────────────────────────────────────
    const rotationReason =
      'Rotating this value invalidates what it protects (signed sessions and tokens, encrypted columns, the webhook header the EventBridge connection sends) and needs a coordinated restart; rotation is a documented manual runbook (docs/operations.md, "Rotating secrets").';
    this.generated = Object.fromEntries(
      GENERATED_SECRETS.map((name) => {
        const secret = new secretsmanager.Secret(this, name, {
          secretName: `${n.secretPrefix}${name}`,
          description: `Skillyug ${name} (generated)`,
          generateSecretString: { passwordLength: 48, excludePunctuation: true },
          removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });
        Validations.of(secret).acknowledge({ id: 'AwsSolutions::AwsSolutions-SMG4', reason: rotationReason });
        return [name, secret];
      })
    ) as Record<GeneratedSecret, secretsmanager.Secret>;

    this.operatorSecret = new secretsmanager.Secret(this, 'OperatorSecrets', {
      secretName: `${n.secretPrefix}operator`,
      description: `Skillyug values only the operator has: ${OPERATOR_SECRETS.join(', ')} (fill with put-secret-value)`,
      // Empty fields: the app refuses to start naming each missing one until they are filled.
      generateSecretString: {
        secretStringTemplate: JSON.stringify(Object.fromEntries(OPERATOR_SECRETS.map((key) => [key, '']))),
        generateStringKey: 'UNUSED_PLACEHOLDER',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.operatorSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Holds third-party credentials (Razorpay, SMTP, the IVS playback key) rotated at their issuer; the operator updates the secret and restarts the services.',
    });

    // ── PostgreSQL ─────────────────────────────────────────────────────────────────────────────
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSg', { vpc, description: 'PostgreSQL: Strapi tasks only', allowAllOutbound: false });
    const parameters = new rds.ParameterGroup(this, 'DatabaseParameters', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_13 }),
      // TLS only: the tasks connect with DATABASE_SSL=true and the RDS CA bundle (NODE_EXTRA_CA_CERTS).
      parameters: { 'rds.force_ssl': '1', log_min_duration_statement: '1000' },
    });
    this.database = new rds.DatabaseInstance(this, 'Database', {
      instanceIdentifier: config.prefix,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_13 }),
      instanceType: new ec2.InstanceType(config.dbInstanceType),
      vpc,
      vpcSubnets: isolated,
      securityGroups: [this.databaseSecurityGroup],
      databaseName: this.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret('skillyug', { secretName: `${n.secretPrefix}database`, excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\' }),
      parameterGroup: parameters,
      multiAz: config.multiAz,
      storageEncrypted: true,
      allocatedStorage: config.dbAllocatedStorageGb,
      maxAllocatedStorage: config.dbAllocatedStorageGb * 4,
      storageType: rds.StorageType.GP3,
      publiclyAccessible: false,
      backupRetention: Duration.days(production ? 14 : 3),
      preferredBackupWindow: '20:00-21:00', // 01:30–02:30 IST, between evening classes and the morning
      preferredMaintenanceWindow: 'sun:21:30-sun:22:30',
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      deleteAutomatedBackups: !production,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      // Exported into the log groups below (created here with their retention: no log-retention Lambda).
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      enablePerformanceInsights: true,
      monitoringInterval: Duration.seconds(60),
    });
    for (const type of ['postgresql', 'upgrade']) {
      const group = new logs.LogGroup(this, `DatabaseLogs-${type}`, {
        logGroupName: `/aws/rds/instance/${config.prefix}/${type}`,
        retention: config.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      this.database.node.addDependency(group);
    }
    this.databaseSecret = this.database.secret!;
    Validations.of(this.database.node.findChild('MonitoringRole')).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason: 'The role RDS Enhanced Monitoring assumes; AWS maintains this policy for exactly that service.',
    });
    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions::AwsSolutions-RDS11',
      reason: 'The default port is reachable only from the Strapi tasks\' security group in isolated subnets; a non-standard port adds no protection.',
    });
    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'The tasks read the password at start (DATABASE_PASSWORD); single-user rotation would cut running tasks off until they restart. Rotation is the manual runbook in docs/operations.md.',
    });
    if (!config.multiAz) {
      Validations.of(this.database).acknowledge({ id: 'AwsSolutions::AwsSolutions-RDS3', reason: 'Single-AZ by choice in staging (-c multiAz=true switches it on; production defaults to Multi-AZ).' });
    }
    if (!production) {
      Validations.of(this.database).acknowledge({ id: 'AwsSolutions::AwsSolutions-RDS10', reason: 'Staging is disposable; production enables deletion protection.' });
    }

    // ── Redis ──────────────────────────────────────────────────────────────────────────────────
    this.redisSecurityGroup = new ec2.SecurityGroup(this, 'RedisSg', { vpc, description: 'Redis: Strapi and site tasks only', allowAllOutbound: false });
    this.redisAuthToken = new secretsmanager.Secret(this, 'RedisAuthToken', {
      secretName: `${n.secretPrefix}redis-auth-token`,
      description: 'ElastiCache AUTH token (REDIS_PASSWORD)',
      // ElastiCache accepts 16–128 printable characters without @ " /: letters and digits only.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.redisAuthToken).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'ElastiCache AUTH rotation is a two-step ROTATE/SET on the replication group followed by a task restart; the manual runbook is in docs/operations.md.',
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'Skillyug Redis (isolated subnets)',
      subnetIds: vpc.selectSubnets(isolated).subnetIds,
      cacheSubnetGroupName: `${config.prefix}-redis`,
    });
    const redisLogs = new logs.LogGroup(this, 'RedisSlowLog', {
      logGroupName: `/${config.prefix}/redis/slow-log`,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupId: config.prefix,
      replicationGroupDescription: 'Skillyug: rate limits, socket.io adapter, presence, site cache invalidation',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: config.redisNodeType,
      // A primary and a replica in another zone, failing over automatically.
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.redisSecurityGroup.securityGroupId],
      port: 6379,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      // A dynamic reference ({{resolve:secretsmanager:…}}): CloudFormation resolves it, the template holds no value.
      authToken: this.redisAuthToken.secretValue.unsafeUnwrap(),
      // Rate-limit counters and presence expire on their own; socket.io streams are trimmed: never evict silently.
      cacheParameterGroupName: new elasticache.CfnParameterGroup(this, 'RedisParameters', {
        cacheParameterGroupFamily: 'redis7',
        description: 'Skillyug: noeviction',
        properties: { 'maxmemory-policy': 'noeviction' },
      }).ref,
      snapshotRetentionLimit: production ? 7 : 1,
      snapshotWindow: '21:00-22:00',
      preferredMaintenanceWindow: 'sun:22:30-sun:23:30',
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        { destinationType: 'cloudwatch-logs', logFormat: 'json', logType: 'slow-log', destinationDetails: { cloudWatchLogsDetails: { logGroup: redisLogs.logGroupName } } },
      ],
    });
    Validations.of(this.redis).acknowledge({
      id: 'AwsSolutions::AwsSolutions-AEC5',
      reason: 'Reachable only from the task security groups in isolated subnets, with TLS and an AUTH token; a non-standard port adds no protection.',
    });
  }

  /** rediss://host:port — the AUTH token comes separately (REDIS_PASSWORD), never in the URL in a template. */
  get redisUrl(): string {
    return `rediss://${this.redis.attrPrimaryEndPointAddress}:${this.redis.attrPrimaryEndPointPort}`;
  }

  /** postgres://user@host:port/db — the password comes separately (DATABASE_PASSWORD). */
  get databaseUrl(): string {
    return `postgres://skillyug@${this.database.dbInstanceEndpointAddress}:${this.database.dbInstanceEndpointPort}/${this.databaseName}`;
  }
}
