import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { names, type InfraConfig } from './config';

/**
 * The product's buckets in the main region: uploads (Strapi's media library under uploads/ and
 * processed recordings under recordings/, as UPLOAD_PROVIDER=s3 lays them out), recordings (where
 * IVS records raw renditions), and the access logs of both and of the ALB. All private, encrypted,
 * TLS-only. The site's static assets live in the edge stack (us-east-1, beside CloudFront).
 */
export class StorageStack extends Stack {
  readonly uploads: s3.Bucket;
  readonly recordings: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: StackProps & { config: InfraConfig }) {
    super(scope, id, props);
    const { config } = props;
    const production = config.envName === 'production';
    const n = names(config);
    const retain = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      bucketName: `${config.prefix}-access-logs-${config.account}-${config.region}`,
      // ALB access logs only support SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: retain,
    });

    const common: s3.BucketProps = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: production,
      serverAccessLogsBucket: this.accessLogs,
      removalPolicy: retain,
    };

    this.uploads = new s3.Bucket(this, 'Uploads', {
      ...common,
      bucketName: n.uploadsBucket,
      serverAccessLogsPrefix: 'uploads/',
      // Browsers upload through Strapi, never straight to the bucket: no CORS needed.
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(2) },
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) },
        // Processed recordings (recordings/<id>/) are cold after a term: Infrequent Access.
        { id: 'recordings-infrequent-access', prefix: 'recordings/', transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(60) }] },
      ],
    });

    // CloudFront (edge stack, us-east-1) reads uploads/ only, through origin access control. The
    // distribution lives in another region's stack, so the grant names the account's distributions
    // until its id is known (-c distributionId=E…), then exactly that one.
    this.uploads.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsUploads',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.uploads.arnForObjects('uploads/*')],
        conditions: config.distributionId
          ? { StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${config.account}:distribution/${config.distributionId}` } }
          : { StringEquals: { 'AWS:SourceAccount': config.account }, ArnLike: { 'AWS:SourceArn': `arn:aws:cloudfront::${config.account}:distribution/*` } },
      })
    );

    this.recordings = new s3.Bucket(this, 'Recordings', {
      ...common,
      bucketName: n.recordingsBucket,
      serverAccessLogsPrefix: 'recordings/',
      lifecycleRules: [
        // IVS writes renditions, thumbnails and events under ivs/v1/…; the app imports what it keeps
        // (RECORDING_RETENTION_DAYS deletes unpublished ones). What is left ages out to cheaper storage.
        { id: 'ivs-infrequent-access', transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }, { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(120) }] },
        { id: 'ivs-expire', expiration: Duration.days(config.recordingRetentionDays) },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(2) },
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(7) },
      ],
    });
  }
}
