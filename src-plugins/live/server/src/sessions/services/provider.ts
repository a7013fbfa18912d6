import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { createLiveProvider, LiveProviderError, type LiveProvider } from '../providers';
import { HttpError } from '../../utils/http';
import { recordingIngestDir } from '../../recordings/paths';

/**
 * The process's one live provider, created from the configuration on first use and started in
 * bootstrap. `call` turns a provider failure into an answer the mentor can act on (the
 * provider's own words, its status), never a 500.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let provider: LiveProvider | null = null;
  /** Why the provider couldn't start (a busy RTMP port…); null while it runs. */
  let startError: string | null = null;

  return {
    get(): LiveProvider {
      provider ??= createLiveProvider(loadEnv('cms'), strapi.log, { recordDir: recordingIngestDir(strapi) });
      return provider;
    },

    async call<T>(action: string, fn: (provider: LiveProvider) => Promise<T>): Promise<T> {
      try {
        return await fn(this.get());
      } catch (error) {
        if (error instanceof LiveProviderError) {
          throw new HttpError(error.status, 'LiveProviderError', error.message, {}, { action, code: error.code });
        }
        throw error;
      }
    },

    /**
     * Starts the provider. A failure (the RTMP port taken by another process, say) is logged and
     * reported by /api/live/health rather than stopping Strapi: the catalog, accounts and
     * payments keep working, and scheduling and joining answer with the reason.
     */
    async start() {
      try {
        await this.get().start();
        startError = null;
      } catch (error) {
        startError = (error as Error).message;
        strapi.log.error(`[live] the ${this.get().name} live provider did not start: ${startError}`);
      }
    },

    /** 'ok', or why live video is unavailable. */
    status(): string {
      return startError ? `down: ${startError}` : 'ok';
    },

    async stop() {
      if (provider) await provider.stop();
      provider = null;
    },
  };
};
