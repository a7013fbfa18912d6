import { Box, Flex, Typography, VisuallyHidden } from '@strapi/design-system';
import { styled } from 'styled-components';
import type { ProcessingStage } from '../../api/live';

/** What each processing stage is called on screen. */
export const STAGE_LABEL: Record<ProcessingStage, string> = {
  queued: 'Queued',
  remux: 'Remuxing',
  thumbnails: 'Making thumbnails',
  upload: 'Uploading',
  import: 'Importing from IVS',
};

const Track = styled.div`
  width: 100%;
  height: 0.8rem;
  border-radius: 0.4rem;
  overflow: hidden;
  background: ${({ theme }) => theme.colors.neutral150};
`;

const Fill = styled.div<{ $percent: number }>`
  height: 100%;
  width: ${({ $percent }) => $percent}%;
  background: ${({ theme }) => theme.colors.primary600};
  border-radius: 0.4rem;

  @media (prefers-reduced-motion: no-preference) {
    transition: width 400ms ease-out;
  }
`;

/**
 * Processing progress as a bar the card's light background shows (the design system's
 * ProgressBar is drawn for dark toasts). The bar is a labelled progressbar; a polite live region
 * announces the stage and every tenth, so a screen reader isn't read each poll's percent.
 */
export const RecordingProgress = ({ stage, progress }: { stage: ProcessingStage | null; progress: number | null }) => {
  const percent = Math.round(Math.min(1, Math.max(0, progress ?? 0)) * 100);
  const words = stage ? STAGE_LABEL[stage] : 'Processing';
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Flex justifyContent="space-between" gap={2}>
        <Typography fontWeight="semiBold" aria-hidden>
          {words}…
        </Typography>
        <Typography variant="pi" textColor="neutral600" aria-hidden>
          {percent} %
        </Typography>
      </Flex>
      <Track
        role="progressbar"
        aria-label="Processing the recording"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${words}: ${percent} %`}
      >
        <Fill $percent={percent} />
      </Track>
      <VisuallyHidden>
        <Box aria-live="polite" aria-atomic>
          {`${words}: ${Math.floor(percent / 10) * 10} %`}
        </Box>
      </VisuallyHidden>
    </Flex>
  );
};
