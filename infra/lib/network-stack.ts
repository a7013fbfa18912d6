import { Stack, type StackProps, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';

/**
 * The VPC over two Availability Zones: public subnets for the ALB and the NAT gateways, private
 * subnets (egress through NAT) for the Fargate tasks, isolated subnets for RDS and ElastiCache.
 * Every flow is logged to CloudWatch.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: StackProps & { config: InfraConfig }) {
    super(scope, id, props);
    const { config } = props;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: config.prefix,
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      // Explicit zones: no lookup, and the same two on every synth.
      availabilityZones: [`${config.region}a`, `${config.region}b`],
      // One NAT per zone in production (a zone outage keeps egress); one shared in staging.
      natGateways: config.envName === 'production' ? 2 : 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      // S3 (uploads, recordings, ECR layers) without NAT charges.
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });

    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/${config.prefix}/vpc-flow-logs`,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL });
  }
}
