import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { names, type InfraConfig } from './config';

/** The product's IVS webhook (src-plugins/live/server/src/sessions/routes/content-api.ts, docs/live.md). */
export const IVS_WEBHOOK_PATH = '/api/live/events/ivs';
/** The header it checks against IVS_EVENTS_SECRET (sessions/providers/ivs/events.ts). */
export const IVS_WEBHOOK_HEADER = 'x-ivs-events-secret';
/** The event types the app applies: stream state (sessions) and recording state (recordings). */
export const IVS_DETAIL_TYPES = ['IVS Stream State Change', 'IVS Recording State Change'];

/**
 * IVS: the recording configuration every recorded class's channel gets (the same settings as
 * `npm run live:ivs-setup -- --recording-bucket`), and the EventBridge rules delivering IVS's stream and
 * recording events to the product's webhook through an API destination that sends the shared secret.
 * Channels, stream keys and chat rooms are created by the app per class, not here.
 */
export class LiveStack extends Stack {
  readonly recordingConfiguration: ivs.CfnRecordingConfiguration;
  readonly eventsRule: events.Rule;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: StackProps & { config: InfraConfig; recordings: s3.IBucket; eventsSecret: secretsmanager.ISecret; reconnectWindowSeconds?: number }) {
    super(scope, id, props);
    const { config, recordings, eventsSecret } = props;
    const n = names(config);

    this.recordingConfiguration = new ivs.CfnRecordingConfiguration(this, 'Recording', {
      name: config.prefix,
      destinationConfiguration: { s3: { bucketName: recordings.bucketName } },
      // LIVE_RECONNECT_GRACE_SECONDS (default 30): a broadcast that drops and returns within it is one recording.
      recordingReconnectWindowSeconds: props.reconnectWindowSeconds ?? 30,
      // SEQUENTIAL: the strip (media/thumbnails/); LATEST: the poster (media/latest_thumbnail/).
      thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 10, storage: ['SEQUENTIAL', 'LATEST'] },
      renditionConfiguration: { renditionSelection: 'ALL' },
      tags: [{ key: 'app', value: 'skillyug' }],
    });

    const connection = new events.Connection(this, 'WebhookConnection', {
      connectionName: `${config.prefix}-ivs-webhook`,
      description: 'Skillyug IVS webhook: sends IVS_EVENTS_SECRET in x-ivs-events-secret',
      // A dynamic reference to the secret: the template never holds it.
      authorization: events.Authorization.apiKey(IVS_WEBHOOK_HEADER, eventsSecret.secretValue),
    });
    const destination = new events.ApiDestination(this, 'Webhook', {
      apiDestinationName: `${config.prefix}-ivs-webhook`,
      connection,
      endpoint: `https://${n.apiHost}${IVS_WEBHOOK_PATH}`,
      httpMethod: events.HttpMethod.POST,
      rateLimitPerSecond: 50,
    });

    this.deadLetters = new sqs.Queue(this, 'WebhookDeadLetters', {
      queueName: `${config.prefix}-ivs-webhook-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the webhook target.' });

    this.eventsRule = new events.Rule(this, 'IvsEvents', {
      ruleName: `${config.prefix}-ivs-events`,
      description: 'IVS stream and recording state → the product webhook',
      eventPattern: { source: ['aws.ivs'], detailType: IVS_DETAIL_TYPES },
    });
    // The envelope as IVS sent it: the webhook validates it (id, detail-type, time, resources, detail).
    this.eventsRule.addTarget(new targets.ApiDestination(destination, { deadLetterQueue: this.deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) }));

  }
}
