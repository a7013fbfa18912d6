import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { names, type InfraConfig } from './config';

/**
 * The sign-in endpoints (cms/src/extensions/users-permissions, docs/auth.md "Rate limits") and the
 * admin panel's login: the WAF's rate-based rule counts requests to these per IP.
 */
export const AUTH_PATH_PREFIXES = ['/api/auth/', '/admin/login', '/admin/forgot-password', '/admin/reset-password', '/admin/register'];
/** Requests per IP per 5 minutes to the auth paths before the WAF blocks (the app's own limits are stricter per account). */
export const AUTH_RATE_LIMIT_PER_5_MIN = 300;

/**
 * CloudFront and its WAF — global resources, so this stack is deployed to us-east-1: the web ACL
 * (CLOUDFRONT scope), the viewer certificate, the site's static assets bucket, and the distribution
 * in front of the site (domain, www.domain) and the API (api.domain). Everything dynamic goes to the
 * ALB by its origin name (origin.<domain>, a record the compute stack owns) with the viewer's Host, so
 * no reference crosses regions; /_astro/* comes from the assets bucket and /uploads/* from the uploads
 * bucket, both through origin access control.
 */
export class EdgeStack extends Stack {
  readonly distribution: cloudfront.Distribution;
  readonly webAcl: wafv2.CfnWebACL;
  readonly siteAssets: s3.Bucket;

  constructor(scope: Construct, id: string, props: StackProps & { config: InfraConfig }) {
    super(scope, id, props);
    const { config } = props;
    const n = names(config);
    const production = config.envName === 'production';

    // ── WAF ───────────────────────────────────────────────────────────────────────────────────
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const managed = (name: string, priority: number, ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[]): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
      visibilityConfig: visibility(name),
    });
    const startsWith = (path: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: path, textTransformations: [{ priority: 0, type: 'LOWERCASE' }] },
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: config.prefix,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(config.prefix),
      rules: [
        {
          name: 'AuthRateLimit',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: AUTH_RATE_LIMIT_PER_5_MIN,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: { orStatement: { statements: AUTH_PATH_PREFIXES.map(startsWith) } },
            },
          },
          visibilityConfig: visibility('AuthRateLimit'),
        },
        managed('AWSManagedRulesAmazonIpReputationList', 1),
        // Media uploads (POST /upload, /api/upload) are larger than the common set's 8 KB body limit: counted, not blocked.
        managed('AWSManagedRulesCommonRuleSet', 2, [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 3),
        managed('AWSManagedRulesSQLiRuleSet', 4),
      ],
    });

    // ── Certificate, buckets ─────────────────────────────────────────────────────────────────
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZoneId, zoneName: config.domain });
    const certificate = config.edgeCertificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', config.edgeCertificateArn)
      : new acm.Certificate(this, 'Certificate', { domainName: config.domain, subjectAlternativeNames: [`*.${config.domain}`], validation: acm.CertificateValidation.fromDns(zone) });

    const logs = new s3.Bucket(this, 'CdnLogs', {
      bucketName: `${config.prefix}-cdn-logs-${config.account}-us-east-1`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are written with an ACL.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'This is the access-log bucket itself (CloudFront logs and the assets bucket\'s server access logs).' });

    this.siteAssets = new s3.Bucket(this, 'SiteAssets', {
      bucketName: n.siteAssetsBucket,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site-assets/',
      // Hashed file names: an old deploy's assets stay for pages still cached, then expire.
      versioned: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const uploads = s3.Bucket.fromBucketAttributes(this, 'Uploads', { bucketName: n.uploadsBucket, region: config.region });

    // ── Distribution ─────────────────────────────────────────────────────────────────────────
    // Dynamic requests: cached only when the origin says so (Cache-Control), and then per host,
    // query, Authorization header and cookies — a signed-in response is never served to someone else.
    const honourOrigin = new cloudfront.CachePolicy(this, 'HonourOrigin', {
      cachePolicyName: `${config.prefix}-honour-origin`,
      comment: 'Cache only what the origin marks cacheable; key on host, query, Authorization and cookies',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization', 'Host'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.all(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const alb = new origins.HttpOrigin(n.originHost, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      // Longer than a slow page render, shorter than the ALB's idle timeout.
      readTimeout: Duration.seconds(60),
      keepaliveTimeout: Duration.seconds(60),
    });
    const staticAssets: cloudfront.BehaviorOptions = {
      origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteAssets),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: config.prefix,
      domainNames: [config.domain, `www.${config.domain}`, n.apiHost],
      certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200, // includes India
      webAclId: this.webAcl.attrArn,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: alb,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
        cachePolicy: honourOrigin,
        // Host (the ALB routes api.<domain> to Strapi), cookies (ALB stickiness), everything else.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER,
        compress: true,
      },
      additionalBehaviors: {
        '/_astro/*': staticAssets,
        '/uploads/*': { ...staticAssets, origin: origins.S3BucketOrigin.withOriginAccessControl(uploads) },
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR1',
      reason: 'An online school for learners anywhere: no geo restriction by design.',
    });

    for (const [id, recordName] of [['Apex', config.domain], ['Www', `www.${config.domain}`], ['Api', n.apiHost]] as const) {
      const target = route53.RecordTarget.fromAlias(new route53Targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, `${id}A`, { zone, recordName, target });
      new route53.AaaaRecord(this, `${id}Aaaa`, { zone, recordName, target });
    }

    // The pipeline's invalidation step reads the id here (the distribution lives in another region than the pipeline).
    new ssm.StringParameter(this, 'DistributionIdParameter', { parameterName: n.distributionIdParameter, stringValue: this.distribution.distributionId, description: 'Skillyug CloudFront distribution id' });
  }
}
