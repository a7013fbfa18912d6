/** The `local` live provider (embedded RTMP ingest, HTTP-FLV/WS-FLV playback through Strapi). */
export { localProvider, type LocalIngestStats, type LocalLiveProvider, type LocalProviderOptions } from './local-provider';
export { signPlayToken, verifyPlayToken, type PlayTokenCheck, type PlayTokenClaims } from './play-token';
