import {
  CreateChannelCommand,
  CreateStreamKeyCommand,
  DeleteChannelCommand,
  DeleteStreamKeyCommand,
  GetStreamCommand,
  GetStreamSessionCommand,
  IvsClient,
  ListStreamKeysCommand,
  PutMetadataCommand,
  StopStreamCommand,
  UpdateChannelCommand,
  type StreamKey,
} from '@aws-sdk/client-ivs';
import type { KeyObject } from 'node:crypto';
import {
  LiveProviderError,
  type ChannelType,
  type LiveProvider,
  type Playback,
  type ProvisionedChannel,
  type StreamEvent,
  type StreamHealth,
} from '../types';
import { ivsChannelName } from './channel-name';
import { describeSdkError, isIvsError, toLiveProviderError } from './errors';
import { healthFromStream, offlineHealth, withSessionDetails } from './health';
import { loadPlaybackPrivateKey, PlaybackTokenError, signPlaybackToken } from './playback-token';

/** Strapi's logger fits. Lines carry ARNs, error codes and request ids: never keys, tokens or credentials. */
export type IvsLogger = {
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
};

export type IvsProviderOptions = {
  region: string;
  /** A non-AWS endpoint (a local double in tests); AWS's regional endpoint otherwise. */
  endpoint?: string;
  /** Omit to use the SDK's default chain (environment, instance role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  channelType: ChannelType;
  /** From `npm run live:ivs-setup`: the imported public key's ARN… */
  playbackKeyPairArn?: string;
  /** …and its private half (PEM) that signs playback tokens. */
  playbackPrivateKeyPem?: string;
  /** Attached to channels of sessions that record. */
  recordingConfigurationArn?: string;
  /** Channel names are `<namePrefix>-<sessionId>`. Default 'skillyug'. */
  namePrefix?: string;
  /** Injected in tests; otherwise one is built from region/endpoint/credentials. */
  client?: IvsClient;
  logger?: IvsLogger;
};

const SETUP_HINT = 'set IVS_PLAYBACK_KEY_PAIR_ARN and IVS_PLAYBACK_PRIVATE_KEY (run `npm run live:ivs-setup` to create them)';

const silentLogger: IvsLogger = { info: () => {}, warn: () => {}, error: () => {} };

export function ivsProvider(options: IvsProviderOptions): LiveProvider {
  const ownsClient = !options.client;
  const client =
    options.client ??
    new IvsClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  const namePrefix = options.namePrefix ?? 'skillyug';
  const logger = options.logger ?? silentLogger;
  const listeners: Array<(event: StreamEvent) => void | Promise<void>> = [];

  /** Sends one command; any failure comes back as a LiveProviderError, logged without secrets. */
  async function call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fail(action, error);
    }
  }

  function fail(action: string, error: unknown): LiveProviderError {
    const mapped = toLiveProviderError(error, action);
    logger.warn(`[live] Amazon IVS ${action} failed: ${errorSummary(error)} → ${mapped.status}`);
    return mapped;
  }

  /** Loaded once, on first use: a bad key fails the first playback, not the server's boot. */
  let privateKey: KeyObject | undefined;
  function playbackKey(): KeyObject {
    if (!options.playbackKeyPairArn || !options.playbackPrivateKeyPem) {
      throw new LiveProviderError(`Private IVS playback is not set up: ${SETUP_HINT}`, 503, 'PlaybackKeyMissing');
    }
    try {
      privateKey ??= loadPlaybackPrivateKey(options.playbackPrivateKeyPem);
    } catch (error) {
      throw new LiveProviderError((error as Error).message, 503, 'PlaybackKeyInvalid');
    }
    return privateKey;
  }

  /**
   * Deletes every stream key of a channel. We list rather than trust the stored `streamKeyRef`:
   * IVS allows one key per channel by default, so a key we don't know about (a regenerate that
   * crashed between delete and save, or one made in the AWS console) would make the next
   * CreateStreamKey fail with a quota error, and on retire would let OBS keep streaming.
   */
  async function deleteAllStreamKeys(channelArn: string): Promise<void> {
    let nextToken: string | undefined;
    do {
      const page = await call('ListStreamKeys', () => client.send(new ListStreamKeysCommand({ channelArn, nextToken })));
      for (const key of page.streamKeys ?? []) {
        if (!key.arn) continue;
        const arn = key.arn;
        try {
          await client.send(new DeleteStreamKeyCommand({ arn }));
        } catch (error) {
          if (!isIvsError(error, 'ResourceNotFoundException')) throw fail('DeleteStreamKey', error);
        }
      }
      nextToken = page.nextToken || undefined;
    } while (nextToken);
  }

  async function createStreamKey(channelArn: string): Promise<{ arn: string; value: string }> {
    const { streamKey } = await call('CreateStreamKey', () => client.send(new CreateStreamKeyCommand({ channelArn })));
    return requireStreamKey(streamKey, 'CreateStreamKey');
  }

  return {
    name: 'ivs',

    async createChannel({ sessionId, recording }) {
      // Channels are private: refuse before creating anything a viewer could never play.
      playbackKey();

      // IVS channels have no title field; the session id in the name and tags finds it in the console.
      const recordingConfigurationArn = recording && options.recordingConfigurationArn ? options.recordingConfigurationArn : '';
      const created = await call('CreateChannel', () =>
        client.send(
          new CreateChannelCommand({
            name: ivsChannelName(namePrefix, sessionId),
            latencyMode: 'LOW',
            type: options.channelType,
            authorized: true,
            recordingConfigurationArn,
            insecureIngest: false,
            tags: { app: 'skillyug', session: sessionId },
          })
        )
      );
      const channel = created.channel;
      if (!channel?.arn) {
        throw new LiveProviderError('Amazon IVS created no channel (its answer had no channel ARN); try again', 502, 'MalformedResponse');
      }
      const channelArn = channel.arn;

      try {
        if (!channel.ingestEndpoint || !channel.playbackUrl) {
          throw new LiveProviderError('Amazon IVS returned a channel without ingest endpoint or playback URL', 502, 'MalformedResponse');
        }
        // CreateChannel normally returns the channel's first key; make one if it did not.
        const key =
          created.streamKey?.arn && created.streamKey.value
            ? { arn: created.streamKey.arn, value: created.streamKey.value }
            : await createStreamKey(channelArn);
        logger.info(`[live] Amazon IVS channel ${channelArn} created for session ${sessionId}${recordingConfigurationArn ? ' (recording)' : ''}`);
        return {
          provider: 'ivs',
          channelId: channelArn,
          ingestServer: `rtmps://${channel.ingestEndpoint}:443/app/`,
          playbackUrl: channel.playbackUrl,
          streamKeyRef: key.arn,
          streamKey: key.value,
        } satisfies ProvisionedChannel;
      } catch (error) {
        // Leave nothing behind: a channel without a usable key would only count against the quota.
        try {
          await client.send(new DeleteChannelCommand({ arn: channelArn }));
        } catch (cleanupError) {
          logger.error(
            `[live] Could not delete the half-created Amazon IVS channel ${channelArn} (${errorSummary(cleanupError)}); delete it in the AWS console`
          );
        }
        throw error instanceof LiveProviderError ? error : fail('CreateChannel', error);
      }
    },

    async deleteChannel(channel) {
      try {
        await client.send(new DeleteChannelCommand({ arn: channel.channelId }));
      } catch (error) {
        if (isIvsError(error, 'ResourceNotFoundException')) return; // already gone: what we wanted
        throw fail('DeleteChannel', error);
      }
    },

    async regenerateStreamKey(channel) {
      await deleteAllStreamKeys(channel.channelId);
      const key = await createStreamKey(channel.channelId);
      logger.info(`[live] Amazon IVS stream key regenerated for ${channel.channelId}`);
      return { streamKey: key.value, streamKeyRef: key.arn };
    },

    restoreChannel() {
      // IVS keeps channels, keys and their recording configuration itself; nothing to tell it after a restart.
    },

    async setRecording(channel, recording) {
      const recordingConfigurationArn = recording && options.recordingConfigurationArn ? options.recordingConfigurationArn : '';
      if (recording && !recordingConfigurationArn) {
        logger.warn(`[live] recording switched on for ${channel.channelId}, but IVS_RECORDING_CONFIGURATION_ARN is not set: Amazon IVS will not record it`);
      }
      await call('UpdateChannel', () => client.send(new UpdateChannelCommand({ arn: channel.channelId, recordingConfigurationArn })));
    },

    onRecordingEvent() {
      // IVS reports recordings through EventBridge ("IVS Recording State Change") → the events webhook.
    },

    async retireChannel(channel) {
      try {
        await client.send(new StopStreamCommand({ channelArn: channel.channelId }));
      } catch (error) {
        if (isIvsError(error, 'ResourceNotFoundException')) return; // channel gone: nothing can stream to it
        if (!isIvsError(error, 'ChannelNotBroadcasting', 'StreamUnavailable')) throw fail('StopStream', error);
      }
      // Without a key OBS cannot go live again on an ended session. The channel itself stays:
      // IVS Recording State Change events arrive later, keyed on its ARN.
      await deleteAllStreamKeys(channel.channelId);
    },

    async putMetadata(channel, text) {
      if (Buffer.byteLength(text) > 1024) throw new LiveProviderError('Timed metadata is limited to 1 KB', 400);
      await call('PutMetadata', () => client.send(new PutMetadataCommand({ channelArn: channel.channelId, metadata: text })));
      return true;
    },

    async streamHealth(channel): Promise<StreamHealth> {
      let health: StreamHealth;
      let streamId: string | undefined;
      try {
        const { stream } = await client.send(new GetStreamCommand({ channelArn: channel.channelId }));
        if (!stream) return offlineHealth();
        health = healthFromStream(stream);
        streamId = stream.streamId;
      } catch (error) {
        if (isIvsError(error, 'ChannelNotBroadcasting')) return offlineHealth();
        throw fail('GetStream', error);
      }
      if (!health.live || !streamId) return health;

      try {
        const { streamSession } = await client.send(new GetStreamSessionCommand({ channelArn: channel.channelId, streamId }));
        return streamSession ? withSessionDetails(health, streamSession, options.channelType) : health;
      } catch (error) {
        // The encoder details are a bonus: what GetStream said is still true.
        logger.warn(`[live] Amazon IVS GetStreamSession failed (${errorSummary(error)}); reporting GetStream only`);
        return health;
      }
    },

    async playback(channel, viewer, ttlSeconds): Promise<Playback> {
      const key = playbackKey();
      if (!channel.playbackUrl) {
        throw new LiveProviderError('This IVS channel has no playback URL; recreate the session’s channel', 409, 'NoPlaybackUrl');
      }
      try {
        const { token, expiresAt } = signPlaybackToken({
          channelArn: channel.channelId,
          viewerId: viewer.viewerId,
          origin: viewer.origin,
          ttlSeconds,
          privateKey: key,
        });
        return { kind: 'ivs', url: `${channel.playbackUrl}?token=${token}`, expiresAt: expiresAt.toISOString() };
      } catch (error) {
        if (error instanceof PlaybackTokenError) throw new LiveProviderError(error.message, 400, 'InvalidPlaybackRequest');
        throw error;
      }
    },

    /**
     * IVS reports stream start/end through EventBridge → the events webhook (see events.ts), not
     * through this process. Listeners are kept so callers can subscribe uniformly across providers,
     * but this provider never calls them.
     */
    onStreamEvent(listener) {
      listeners.push(listener);
    },

    async start() {
      // Nothing runs in-process for IVS.
    },

    async stop() {
      // An injected client belongs to whoever made it.
      if (ownsClient) client.destroy();
    },
  };
}

/** Name, HTTP status and request id: enough to find the call in CloudTrail, nothing secret. */
function errorSummary(error: unknown): string {
  const { name, httpStatus, requestId } = describeSdkError(error);
  return [name || 'error', httpStatus && `HTTP ${httpStatus}`, requestId && `request ${requestId}`].filter(Boolean).join(', ');
}

function requireStreamKey(streamKey: StreamKey | undefined, action: string): { arn: string; value: string } {
  if (!streamKey?.arn || !streamKey.value) {
    throw new LiveProviderError(`Amazon IVS returned no stream key (${action}); try again`, 502, 'MalformedResponse');
  }
  return { arn: streamKey.arn, value: streamKey.value };
}
