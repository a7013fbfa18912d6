import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as cpactions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { names, type InfraConfig } from './config';
import type { ComputeStack } from './compute-stack';

/**
 * Source (CodeStar connection) → Test (.ci/run on PostgreSQL and Redis containers) → Image (build,
 * push to ECR) → Migrate (one-off ECS task, once per deploy, before new tasks take traffic) → Assets
 * (site/dist/client to S3, before the site rolls) → Deploy (ECS rolling, circuit breaker with
 * rollback: compute stack) → Verify (CloudFront invalidation, smoke test of both services' health routes).
 */
export class PipelineStack extends Stack {
  readonly pipeline: codepipeline.Pipeline;

  constructor(scope: Construct, id: string, props: StackProps & { config: InfraConfig; compute: ComputeStack; accessLogs: s3.IBucket }) {
    super(scope, id, props);
    const { config, compute, accessLogs } = props;
    const n = names(config);
    const [owner, repo] = config.repository.split('/');
    if (!config.connectionArn) throw new Error('PipelineStack needs -c connectionArn');

    const key = new kms.Key(this, 'ArtifactsKey', { alias: `${config.prefix}-pipeline`, enableKeyRotation: true, description: 'Skillyug pipeline artifacts and build logs' });
    const artifacts = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'pipeline-artifacts/',
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const project = (id: string, buildspec: string, options: { privileged?: boolean; size?: codebuild.ComputeType; env?: Record<string, string>; timeout?: Duration } = {}) => {
      const created = new codebuild.PipelineProject(this, id, {
        projectName: `${config.prefix}-${id.toLowerCase()}`,
        buildSpec: codebuild.BuildSpec.fromSourceFilename(`infra/pipeline/${buildspec}`),
        environment: {
          buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
          computeType: options.size ?? codebuild.ComputeType.SMALL,
          privileged: options.privileged ?? false,
        },
        environmentVariables: Object.fromEntries(Object.entries(options.env ?? {}).map(([name, value]) => [name, { value }])),
        encryptionKey: key,
        timeout: options.timeout ?? Duration.minutes(30),
        logging: { cloudWatch: { logGroup: new logs.LogGroup(this, `${id}Logs`, { logGroupName: `/${config.prefix}/codebuild/${id.toLowerCase()}`, retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.DESTROY }) } },
      });
      if (options.privileged) {
        Validations.of(created).acknowledge({ id: 'AwsSolutions::AwsSolutions-CB3', reason: 'Docker in the build: service containers for the tests, or the image build itself.' });
      }
      return created;
    };

    const test = project('Test', 'buildspec-test.yml', { privileged: true, size: codebuild.ComputeType.LARGE, timeout: Duration.minutes(90) });
    const image = project('Image', 'buildspec-image.yml', { privileged: true, size: codebuild.ComputeType.MEDIUM, env: { REPOSITORY_URI: compute.repository.repositoryUri } });
    compute.repository.grantPullPush(image);

    const migrate = project('Migrate', 'buildspec-migrate.yml', {
      timeout: Duration.minutes(60),
      env: { CLUSTER: compute.cluster.clusterName, MIGRATE_FAMILY: n.migrateFamily, SUBNETS: compute.taskSubnetIds.join(','), SECURITY_GROUP: compute.taskSecurityGroup.securityGroupId },
    });
    migrate.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadMigrationTaskDefinition', actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], resources: ['*'] }));
    migrate.addToRolePolicy(new iam.PolicyStatement({
      sid: 'RunMigrationTask',
      actions: ['ecs:RunTask', 'ecs:DescribeTasks'],
      resources: [`arn:${this.partition}:ecs:${config.region}:${config.account}:task-definition/${n.migrateFamily}:*`, `arn:${this.partition}:ecs:${config.region}:${config.account}:task/${n.cluster}/*`],
      conditions: { ArnEquals: { 'ecs:cluster': compute.cluster.clusterArn } },
    }));
    migrate.addToRolePolicy(new iam.PolicyStatement({ sid: 'PassMigrationRoles', actions: ['iam:PassRole'], resources: [compute.migrateTask.taskRole.roleArn, compute.migrateTask.obtainExecutionRole().roleArn] }));

    const assets = project('Assets', 'buildspec-assets.yml', { env: { ASSETS_BUCKET: n.siteAssetsBucket } });
    assets.addToRolePolicy(new iam.PolicyStatement({ sid: 'SyncSiteAssets', actions: ['s3:PutObject', 's3:ListBucket'], resources: [`arn:${this.partition}:s3:::${n.siteAssetsBucket}`, `arn:${this.partition}:s3:::${n.siteAssetsBucket}/_astro/*`] }));

    const verify = project('Verify', 'buildspec-release.yml', { env: { DISTRIBUTION_ID_PARAMETER: n.distributionIdParameter, SITE_URL: `https://${config.domain}`, API_URL: `https://${n.apiHost}` } });
    verify.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadDistributionId', actions: ['ssm:GetParameter'], resources: [`arn:${this.partition}:ssm:us-east-1:${config.account}:parameter${n.distributionIdParameter}`] }));
    verify.addToRolePolicy(new iam.PolicyStatement({ sid: 'InvalidatePages', actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'], resources: [`arn:${this.partition}:cloudfront::${config.account}:distribution/${config.distributionId ?? '*'}`] }));

    const source = new codepipeline.Artifact('Source');
    const built = new codepipeline.Artifact('Image');
    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: config.prefix,
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: artifacts,
      restartExecutionOnUpdate: false,
      stages: [
        { stageName: 'Source', actions: [new cpactions.CodeStarConnectionsSourceAction({ actionName: 'Source', connectionArn: config.connectionArn, owner, repo, branch: config.branch, output: source, triggerOnPush: true })] },
        { stageName: 'Test', actions: [new cpactions.CodeBuildAction({ actionName: 'ci-run', project: test, input: source })] },
        { stageName: 'Image', actions: [new cpactions.CodeBuildAction({ actionName: 'build-and-push', project: image, input: source, outputs: [built] })] },
        { stageName: 'Migrate', actions: [new cpactions.CodeBuildAction({ actionName: 'npm-run-migrate', project: migrate, input: source, extraInputs: [built] })] },
        { stageName: 'Assets', actions: [new cpactions.CodeBuildAction({ actionName: 'site-assets-to-s3', project: assets, input: source, extraInputs: [built] })] },
        {
          stageName: 'Deploy',
          actions: [
            new cpactions.EcsDeployAction({ actionName: 'cms', service: compute.cmsService, imageFile: built.atPath('cms-image.json'), deploymentTimeout: Duration.minutes(30), runOrder: 1 }),
            new cpactions.EcsDeployAction({ actionName: 'site', service: compute.siteService, imageFile: built.atPath('site-image.json'), deploymentTimeout: Duration.minutes(30), runOrder: 2 }),
          ],
        },
        { stageName: 'Verify', actions: [new cpactions.CodeBuildAction({ actionName: 'invalidate-and-smoke-test', project: verify, input: source })] },
      ],
    });

    this.acknowledgeGrants({ artifacts, projects: { Test: test, Image: image, Migrate: migrate, Assets: assets, Verify: verify }, config });
  }

  /**
   * cdk-nag findings on the grants CDK writes for a pipeline, acknowledged on each role's policy, one
   * finding at a time: the artifact bucket and its key (read/write of this pipeline's own artifacts),
   * each project's own logs and report groups, and the few actions AWS only grants on "*".
   */
  private acknowledgeGrants({ artifacts, projects, config }: { artifacts: s3.Bucket; projects: Record<string, codebuild.PipelineProject>; config: InfraConfig }) {
    const artifactsId = this.getLogicalId(artifacts.node.defaultChild as s3.CfnBucket);
    const artifactGrants = ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*', 'Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', 'Action::s3:Abort*', 'Action::s3:DeleteObject*', `Resource::<${artifactsId}.Arn>/*`];
    const artifactReason = 'CDK\'s grant on this pipeline\'s own artifact bucket and its KMS key (grantReadWrite): objects are per-execution artifacts with generated keys.';
    const acknowledge = (scope: Construct, findings: string[], reason: string) => {
      Validations.of(scope).acknowledge(...findings.map((finding) => ({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason })));
    };
    const region = config.region;
    for (const [id, project] of Object.entries(projects)) {
      const policy = project.role!.node.findChild('DefaultPolicy');
      const projectId = this.getLogicalId(project.node.defaultChild as codebuild.CfnProject);
      acknowledge(policy, artifactGrants, artifactReason);
      acknowledge(policy, [`Resource::arn:<AWS::Partition>:codebuild:${region}:${config.account}:report-group/<${projectId}>-*`, `Resource::arn:<AWS::Partition>:logs:${region}:${config.account}:log-group:/aws/codebuild/<${projectId}>:*`], `CDK's grant for the ${id} project's own test reports and default log group.`);
    }
    acknowledge(projects.Image.role!.node.findChild('DefaultPolicy'), ['Resource::*'], 'ecr:GetAuthorizationToken has no resource-level permissions; push and pull are granted on the repository only.');
    acknowledge(projects.Migrate.role!.node.findChild('DefaultPolicy'), ['Resource::*'], 'ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition have no resource-level permissions; RunTask is scoped to the migration family on this cluster.');
    acknowledge(projects.Migrate.role!.node.findChild('DefaultPolicy'), [`Resource::arn:<AWS::Partition>:ecs:${region}:${config.account}:task-definition/${names(config).migrateFamily}:*`, `Resource::arn:<AWS::Partition>:ecs:${region}:${config.account}:task/${names(config).cluster}/*`], 'Each deploy registers a new revision of the migration family and runs one task on the cluster: revision and task ids are generated.');
    acknowledge(projects.Assets.role!.node.findChild('DefaultPolicy'), [`Resource::arn:<AWS::Partition>:s3:::${names(config).siteAssetsBucket}/_astro/*`], 'The site\'s hashed static files under _astro/ of the assets bucket.');
    if (!config.distributionId) {
      acknowledge(projects.Verify.role!.node.findChild('DefaultPolicy'), [`Resource::arn:<AWS::Partition>:cloudfront::${config.account}:distribution/*`], 'The distribution is created in us-east-1 by the edge stack; pass -c distributionId=E… once known to scope the invalidation to it.');
    }
    const pipelineRole = this.pipeline.role.node.findChild('DefaultPolicy');
    acknowledge(pipelineRole, artifactGrants, artifactReason);
    const source = this.pipeline.node.findChild('Source').node.findChild('Source').node.findChild('CodePipelineActionRole').node.findChild('DefaultPolicy');
    acknowledge(source, artifactGrants, artifactReason);
    for (const service of ['cms', 'site']) {
      const deploy = this.pipeline.node.findChild('Deploy').node.findChild(service).node.findChild('CodePipelineActionRole').node.findChild('DefaultPolicy');
      acknowledge(deploy, artifactGrants, artifactReason);
      acknowledge(deploy, ['Resource::*'], 'CodePipeline\'s ECS deploy action registers task definitions and reads services (ecs:RegisterTaskDefinition and ecs:Describe* have no resource-level permissions); UpdateService is scoped to the service.');
    }
  }
}
