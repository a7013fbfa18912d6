/** The Amazon IVS live provider: channels, stream keys, health and private playback on IVS. */
export { ivsProvider, type IvsProviderOptions, type IvsLogger } from './provider';
export { toLiveProviderError } from './errors';
export { signPlaybackToken, loadPlaybackPrivateKey, MAX_PLAYBACK_TOKEN_TTL_SECONDS, MAX_VIEWER_ID_LENGTH } from './playback-token';
export { parseIvsStreamEvent, checkEventsSecret, IVS_EVENTS_HEADER, ivsEventEnvelope, type IvsEventParseResult } from './events';
export { createPlaybackKeyPair, importPlaybackKeyPair, createRecordingConfiguration, recordingConfigurationInput, type RecordingConfigurationOptions } from './setup';
export { ivsChannelName } from './channel-name';
