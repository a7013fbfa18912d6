import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';
import type { ComputeStack } from './compute-stack';
import type { DataStack } from './data-stack';
import type { LiveStack } from './live-stack';
import { IVS_DETAIL_TYPES } from './live-stack';
import { databaseMaxConnections } from './capacity';

/** The alarm thresholds, in one place for the runbook (docs/operations.md, "Alarms"). */
export const THRESHOLDS = {
  alb5xxPer5Min: 20,
  p99LatencySeconds: 3,
  cpuPercent: 85,
  memoryPercent: 85,
  rdsCpuPercent: 80,
  rdsFreeStorageShare: 0.1,
  rdsConnectionsShare: 0.8,
  redisMemoryPercent: 80,
} as const;

/**
 * Alarms → one SNS topic (email subscription with -c alarmEmail), and the operator's dashboard.
 */
export class MonitoringStack extends Stack {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: StackProps & { config: InfraConfig; compute: ComputeStack; data: DataStack; live: LiveStack }) {
    super(scope, id, props);
    const { config, compute, data, live } = props;

    const key = new kms.Key(this, 'AlarmsKey', { alias: `${config.prefix}-alarms`, enableKeyRotation: true, description: 'Skillyug alarm topic' });
    // CloudWatch alarms and EventBridge publish to the encrypted topic.
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal(service)], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions: { StringEquals: { 'aws:SourceAccount': config.account } } }));
    }
    this.topic = new sns.Topic(this, 'Alarms', { topicName: `${config.prefix}-alarms`, masterKey: key, enforceSSL: true });
    if (config.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    const notify = new actions.SnsAction(this.topic);

    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string, options: Partial<cloudwatch.CreateAlarmOptions> = {}) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmName: `${config.prefix}-${id}`,
        metric,
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${description} Runbook: docs/operations.md#${id.toLowerCase()}`,
        ...options,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };
    const fiveMinutes = { period: Duration.minutes(5) };
    const oneMinute = { period: Duration.minutes(1) };

    // ── ALB ───────────────────────────────────────────────────────────────────────────────────
    const lb = compute.alb.metrics;
    alarm('Alb5xx', lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { ...fiveMinutes, statistic: 'Sum' }), THRESHOLDS.alb5xxPer5Min, 'The ALB answered 5xx itself (no healthy target, or a target closed the connection).');
    for (const [name, group] of [['Cms', compute.cmsTargets], ['Site', compute.siteTargets]] as const) {
      alarm(`${name}Target5xx`, group.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { ...fiveMinutes, statistic: 'Sum' }), THRESHOLDS.alb5xxPer5Min, `${name} answered 5xx (503 during a dependency outage, 500 on a bug).`);
      alarm(`${name}LatencyP99`, group.metrics.targetResponseTime({ ...fiveMinutes, statistic: 'p99' }), THRESHOLDS.p99LatencySeconds, `${name}'s p99 response time is above ${THRESHOLDS.p99LatencySeconds} s.`);
      alarm(`${name}UnhealthyTargets`, group.metrics.unhealthyHostCount({ ...oneMinute, statistic: 'Maximum' }), 1, `A ${name} task fails /api/ready (database, Redis, live provider or storage down, or draining too long).`, { evaluationPeriods: 5, datapointsToAlarm: 5 });
      alarm(`${name}NoHealthyTargets`, group.metrics.healthyHostCount({ ...oneMinute, statistic: 'Minimum' }), 1, `No ${name} task is ready: the service is down.`, { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, evaluationPeriods: 2, datapointsToAlarm: 2, treatMissingData: cloudwatch.TreatMissingData.BREACHING });
    }

    // ── ECS ───────────────────────────────────────────────────────────────────────────────────
    for (const [name, service] of [['Cms', compute.cmsService], ['Site', compute.siteService]] as const) {
      alarm(`${name}Cpu`, service.metricCpuUtilization({ ...fiveMinutes, statistic: 'Average' }), THRESHOLDS.cpuPercent, `${name}'s CPU stays above ${THRESHOLDS.cpuPercent}% (autoscaling at its maximum, or a hot loop).`);
      alarm(`${name}Memory`, service.metricMemoryUtilization({ ...fiveMinutes, statistic: 'Average' }), THRESHOLDS.memoryPercent, `${name}'s memory stays above ${THRESHOLDS.memoryPercent}% (a leak, or too many sockets per task).`);
    }

    // ── RDS ───────────────────────────────────────────────────────────────────────────────────
    const maxConnections = databaseMaxConnections(config.dbInstanceType);
    alarm('RdsCpu', data.database.metricCPUUtilization({ ...fiveMinutes, statistic: 'Average' }), THRESHOLDS.rdsCpuPercent, `PostgreSQL CPU above ${THRESHOLDS.rdsCpuPercent}%.`);
    alarm('RdsFreeStorage', data.database.metricFreeStorageSpace({ ...fiveMinutes, statistic: 'Minimum' }), Math.round(config.dbAllocatedStorageGb * THRESHOLDS.rdsFreeStorageShare * 1024 ** 3), 'PostgreSQL has less than 10% of its allocated storage free (autoscaling storage may be at its maximum).', { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD });
    alarm('RdsConnections', data.database.metricDatabaseConnections({ ...fiveMinutes, statistic: 'Maximum' }), Math.floor(maxConnections * THRESHOLDS.rdsConnectionsShare), `PostgreSQL connections above ${THRESHOLDS.rdsConnectionsShare * 100}% of max_connections (~${maxConnections}).`);

    // ── Redis: both nodes of the replication group ────────────────────────────────────────────
    for (const node of ['001', '002']) {
      const dimensionsMap = { CacheClusterId: `${config.prefix}-${node}` };
      alarm(`RedisMemory${node}`, new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName: 'DatabaseMemoryUsagePercentage', dimensionsMap, ...fiveMinutes, statistic: 'Maximum' }), THRESHOLDS.redisMemoryPercent, `Redis node ${node} uses more than ${THRESHOLDS.redisMemoryPercent}% of its memory (noeviction: writes fail when full).`);
      alarm(`RedisEvictions${node}`, new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName: 'Evictions', dimensionsMap, ...fiveMinutes, statistic: 'Sum' }), 1, `Redis node ${node} evicted keys (the policy is noeviction: someone changed it).`, { evaluationPeriods: 1, datapointsToAlarm: 1 });
    }

    // ── IVS ───────────────────────────────────────────────────────────────────────────────────
    const failures = new events.Rule(this, 'IvsFailures', {
      ruleName: `${config.prefix}-ivs-failures`,
      description: 'IVS stream and recording failures → the alarm topic',
      eventPattern: {
        source: ['aws.ivs'],
        detailType: IVS_DETAIL_TYPES,
        detail: { $or: [{ event_name: ['Stream Failure'] }, { recording_status: ['Recording Start Failure', 'Recording End Failure'] }] },
      },
    });
    failures.addTarget(new targets.SnsTopic(this.topic));
    const ruleMetric = (ruleName: string, metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/Events', metricName, dimensionsMap: { RuleName: ruleName }, ...fiveMinutes, statistic: 'Sum' });
    alarm('IvsStreamFailures', ruleMetric(failures.ruleName, 'TriggeredRules'), 1, 'IVS reported a Stream Failure or a Recording Start/End Failure.', { evaluationPeriods: 1, datapointsToAlarm: 1 });
    // Account quotas hit (concurrent streams or views, ingest bitrate or resolution): a class could not go live or play.
    const breaches = new events.Rule(this, 'IvsLimitBreachRule', {
      ruleName: `${config.prefix}-ivs-limit-breaches`,
      description: 'IVS limit breaches (concurrent streams/views, ingest) → the alarm topic',
      eventPattern: { source: ['aws.ivs'], detailType: ['IVS Limit Breach'] },
    });
    breaches.addTarget(new targets.SnsTopic(this.topic));
    alarm('IvsLimitBreaches', ruleMetric(breaches.ruleName, 'TriggeredRules'), 1, 'IVS reported a limit breach (concurrent streams or views, ingest bitrate or resolution).', { evaluationPeriods: 1, datapointsToAlarm: 1 });
    alarm('IvsWebhookFailures', ruleMetric(live.eventsRule.ruleName, 'FailedInvocations'), 1, 'EventBridge could not deliver IVS events to the webhook (sessions then rely on the 20 s GetStream poll).', { evaluationPeriods: 1, datapointsToAlarm: 1 });
    alarm('IvsWebhookDeadLetters', live.deadLetters.metricApproximateNumberOfMessagesVisible({ ...fiveMinutes, statistic: 'Maximum' }), 1, 'IVS events gave up on the webhook and wait in the dead-letter queue.', { evaluationPeriods: 1, datapointsToAlarm: 1 });

    // ── Dashboard ─────────────────────────────────────────────────────────────────────────────
    const graph = (title: string, metrics: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) => new cloudwatch.GraphWidget({ title, left: metrics, right, width: 8, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: config.prefix, defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
      graph('Requests', [lb.requestCount({ ...oneMinute, statistic: 'Sum' }), compute.cmsTargets.metrics.requestCount({ ...oneMinute, statistic: 'Sum' })], [lb.activeConnectionCount({ ...oneMinute, statistic: 'Sum' })]),
      graph('5xx', [lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, oneMinute), compute.cmsTargets.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, oneMinute), compute.siteTargets.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, oneMinute)]),
      graph('Latency p50 / p99', [compute.cmsTargets.metrics.targetResponseTime({ statistic: 'p50' }), compute.cmsTargets.metrics.targetResponseTime({ statistic: 'p99' }), compute.siteTargets.metrics.targetResponseTime({ statistic: 'p99' })]),
      graph('Tasks: CPU / memory', [compute.cmsService.metricCpuUtilization(), compute.siteService.metricCpuUtilization()], [compute.cmsService.metricMemoryUtilization(), compute.siteService.metricMemoryUtilization()]),
      graph('Healthy targets', [compute.cmsTargets.metrics.healthyHostCount(), compute.siteTargets.metrics.healthyHostCount()], [compute.cmsTargets.metrics.unhealthyHostCount(), compute.siteTargets.metrics.unhealthyHostCount()]),
      graph('PostgreSQL', [data.database.metricCPUUtilization(), data.database.metricDatabaseConnections()], [data.database.metricFreeStorageSpace()]),
      graph('Redis', ['001', '002'].map((node) => new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName: 'DatabaseMemoryUsagePercentage', dimensionsMap: { CacheClusterId: `${config.prefix}-${node}` } })), ['001', '002'].map((node) => new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName: 'CurrConnections', dimensionsMap: { CacheClusterId: `${config.prefix}-${node}` } }))),
      graph('IVS', [new cloudwatch.Metric({ namespace: 'AWS/IVS', metricName: 'ConcurrentStreams', statistic: 'Maximum' }), new cloudwatch.Metric({ namespace: 'AWS/IVS', metricName: 'ConcurrentViews', statistic: 'Maximum' })], [ruleMetric(live.eventsRule.ruleName, 'Invocations'), ruleMetric(live.eventsRule.ruleName, 'FailedInvocations'), ruleMetric(failures.ruleName, 'TriggeredRules')])
    );
  }
}
