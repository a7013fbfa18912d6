import { Box, Flex, Typography, VisuallyHidden } from '@strapi/design-system';
import { ProgressMeter } from '../ProgressMeter';
import type { ProcessingStage } from '../../api/live';

/** What each processing stage is called on screen. */
export const STAGE_LABEL: Record<ProcessingStage, string> = {
  queued: 'Queued',
  remux: 'Remuxing',
  thumbnails: 'Making thumbnails',
  upload: 'Uploading',
  import: 'Importing from IVS',
};

/**
 * Processing progress as a labelled bar (ProgressMeter); a polite live region
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
      <ProgressMeter percent={percent} label="Processing the recording" valueText={`${words}: ${percent} %`} />
      <VisuallyHidden>
        <Box aria-live="polite" aria-atomic>
          {`${words}: ${Math.floor(percent / 10) * 10} %`}
        </Box>
      </VisuallyHidden>
    </Flex>
  );
};
