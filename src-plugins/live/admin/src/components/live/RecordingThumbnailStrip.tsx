import { useId } from 'react';
import { Box, Typography } from '@strapi/design-system';
import { styled } from 'styled-components';
import { formatVideoTime, type RecordingThumbnail } from '../../api/live';

const THUMB_WIDTH = 160;

const Strip = styled.ul`
  display: flex;
  gap: ${({ theme }) => theme.spaces[3]};
  overflow-x: auto;
  overscroll-behavior-x: contain;
  scroll-snap-type: x proximity;
  list-style: none;
  margin: 0;
  padding: 0 0 ${({ theme }) => theme.spaces[2]};
`;

const Thumb = styled.button<{ $current: boolean }>`
  display: flex;
  flex-direction: column;
  gap: ${({ theme }) => theme.spaces[1]};
  width: ${THUMB_WIDTH}px;
  padding: 0;
  border: 0;
  background: none;
  cursor: pointer;
  scroll-snap-align: start;
  text-align: left;

  img {
    display: block;
    width: ${THUMB_WIDTH}px;
    aspect-ratio: 16 / 9;
    object-fit: cover;
    border-radius: ${({ theme }) => theme.borderRadius};
    background: ${({ theme }) => theme.colors.neutral150};
    outline: 2px solid ${({ $current, theme }) => ($current ? theme.colors.primary600 : 'transparent')};
    outline-offset: 1px;
  }

  &:hover img {
    outline-color: ${({ theme }) => theme.colors.primary500};
  }

  &:focus-visible {
    outline: 2px solid ${({ theme }) => theme.colors.primary600};
    outline-offset: 2px;
    border-radius: ${({ theme }) => theme.borderRadius};
  }
`;

type RecordingThumbnailStripProps = {
  thumbnails: RecordingThumbnail[];
  /** The thumbnail the preview is at (its `atMs`), outlined. */
  currentMs: number | null;
  onSeek: (atMs: number) => void;
  /** A thumbnail's signed URL didn't load (likely expired): the card fetches fresh ones. */
  onImageError: () => void;
};

/**
 * The recording's thumbnails in a row that scrolls sideways, each labelled with its moment;
 * choosing one moves the preview there.
 */
export const RecordingThumbnailStrip = ({ thumbnails, currentMs, onSeek, onImageError }: RecordingThumbnailStripProps) => {
  const headingId = `${useId().replace(/:/g, '')}-thumbnails`;
  if (!thumbnails.length) return null;
  return (
    <Box>
      <Typography variant="sigma" textColor="neutral600" tag="h3" id={headingId}>
        Thumbnails
      </Typography>
      <Box paddingTop={2}>
        <Strip aria-labelledby={headingId}>
          {thumbnails.map((thumbnail) => {
            const time = formatVideoTime(thumbnail.atMs);
            return (
              <li key={thumbnail.atMs}>
                <Thumb type="button" $current={currentMs === thumbnail.atMs} aria-label={`Go to ${time}`} onClick={() => onSeek(thumbnail.atMs)}>
                  <img src={thumbnail.url} alt="" loading="lazy" decoding="async" width={THUMB_WIDTH} height={90} onError={onImageError} />
                  <Typography variant="pi" textColor="neutral700">
                    {time}
                  </Typography>
                </Thumb>
              </li>
            );
          })}
        </Strip>
      </Box>
    </Box>
  );
};
