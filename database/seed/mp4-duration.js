'use strict';

/**
 * An MP4's length in seconds, read from its movie header box (moov → mvhd), so the seed stores
 * each lesson's real duration without needing ffprobe on the machine. Throws on anything that
 * isn't an ISO-BMFF file with a movie header.
 *
 * @param {Buffer} buffer the whole file
 * @returns {number} seconds (fractional)
 */
function mp4Duration(buffer) {
  const moov = findBox(buffer, 0, buffer.length, 'moov');
  if (!moov) throw new Error('not an MP4: no moov box');
  const mvhd = findBox(buffer, moov.start, moov.end, 'mvhd');
  if (!mvhd) throw new Error('not an MP4: no mvhd box');
  const version = buffer.readUInt8(mvhd.start);
  // After version+flags: creation and modification times (4 bytes each in v0, 8 in v1), then the timescale and duration.
  const timescaleAt = mvhd.start + 4 + (version === 1 ? 16 : 8);
  const timescale = buffer.readUInt32BE(timescaleAt);
  const duration = version === 1 ? Number(buffer.readBigUInt64BE(timescaleAt + 4)) : buffer.readUInt32BE(timescaleAt + 4);
  if (!timescale) throw new Error('not an MP4: mvhd timescale is 0');
  return duration / timescale;
}

/** The first box of `type` between `from` and `to`: its payload's start and end. */
function findBox(buffer, from, to, type) {
  let at = from;
  while (at + 8 <= to) {
    let size = buffer.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      size = Number(buffer.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at; // the box runs to the end
    }
    if (size < header || at + size > to) return null;
    if (buffer.toString('latin1', at + 4, at + 8) === type) return { start: at + header, end: at + size };
    at += size;
  }
  return null;
}

module.exports = { mp4Duration };
