/** IVS channel names: `^[a-zA-Z0-9-_]*$`, at most 128 characters. */
export const MAX_CHANNEL_NAME_LENGTH = 128;

/**
 * `<prefix>-<sessionId>`, with anything IVS would refuse turned into '-' and cut to 128
 * characters, so a session id of any shape still gets a channel (the name is a label in the AWS
 * console; the ARN, not the name, is what we key on).
 */
export function ivsChannelName(prefix: string, sessionId: string): string {
  return `${prefix}-${sessionId}`.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, MAX_CHANNEL_NAME_LENGTH);
}
