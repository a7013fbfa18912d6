import type { Env } from '@skillyug/config';
import { ivsProvider } from './ivs';
import { localProvider } from './local';
import type { LiveProvider } from './types';
import { derivedSecret } from '../../utils/signed-token';

export * from './types';

type Logger = { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };

/** The provider the configuration asks for: Amazon IVS when LIVE_PROVIDER=ivs, else the embedded RTMP ingest. */
/** `recordDir`: where the local ingest writes recordings (LOCAL_STORAGE_DIR/ingest, resolved against cms/). */
export function createLiveProvider(env: Env, logger: Logger, options: { recordDir?: string } = {}): LiveProvider {
  if (env.LIVE_PROVIDER === 'ivs') {
    return ivsProvider({
      region: env.AWS_REGION!,
      endpoint: env.IVS_ENDPOINT,
      credentials:
        env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
          : undefined,
      channelType: env.IVS_CHANNEL_TYPE,
      playbackKeyPairArn: env.IVS_PLAYBACK_KEY_PAIR_ARN,
      // .env files can't hold newlines: accept the PEM with literal \n.
      playbackPrivateKeyPem: env.IVS_PLAYBACK_PRIVATE_KEY?.replace(/\\n/g, '\n'),
      recordingConfigurationArn: env.IVS_RECORDING_CONFIGURATION_ARN,
      logger,
    });
  }
  return localProvider({
    rtmpPort: env.LOCAL_RTMP_PORT,
    mediaHttpPort: env.LOCAL_MEDIA_HTTP_PORT,
    ingestHost: env.LOCAL_RTMP_HOST ?? new URL(env.PUBLIC_URL).hostname,
    publicUrl: env.PUBLIC_URL,
    secret: derivedSecret(env, 'local-playback'),
    reconnectGraceMs: env.LIVE_RECONNECT_GRACE_SECONDS * 1000,
    recordDir: options.recordDir,
    logger,
  });
}
