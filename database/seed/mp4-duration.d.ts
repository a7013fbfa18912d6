/** See mp4-duration.js: an MP4's length in seconds, from its movie header. */
export function mp4Duration(buffer: Buffer): number;
