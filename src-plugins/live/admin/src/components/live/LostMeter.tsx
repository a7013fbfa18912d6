import { useId } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { SIGNAL_ALERT_SHARE, SIGNAL_WINDOW_SECONDS } from '../../../../server/src/realtime/contracts';
import { formatDuration, formatNumber, type SignalMeter } from '../../api/live';
import { Card } from './Card';

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * The "I'm lost" meter while the class is live: how many students pressed "I'm lost" or "slow
 * down" within the last minute, as a share of those watching, and an alert once that share
 * reaches the threshold. The alert is announced politely to screen readers when it appears
 * (not on every count change).
 */
export const LostMeter = ({ meter, connected }: { meter: SignalMeter | null; connected: boolean }) => {
  const share = Math.min(1, Math.max(0, meter?.share ?? 0));
  const alert = Boolean(meter?.alert);
  const windowWords = formatDuration(SIGNAL_WINDOW_SECONDS);
  const headingId = `${useId().replace(/:/g, '')}-lost-meter`;
  return (
    <Card>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2" id={headingId}>
          {'"I\'m lost" meter'}
        </Typography>
        {/* Polite: the mentor is talking; the alert waits for a pause in the screen reader. */}
        <Box aria-live="polite">
          {alert && meter && (
            <Box padding={3} hasRadius background="danger100" borderColor="danger600" borderStyle="solid" borderWidth="1px" data-alert="on">
              <Typography fontWeight="bold" textColor="danger700">
                Alert: {percent(meter.share)} of the students watching are lost or asked you to slow down.
              </Typography>
            </Box>
          )}
        </Box>
        <div
          role="meter"
          aria-labelledby={headingId}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(share * 100)}
          aria-valuetext={`${percent(share)} of the students watching signalled in the last ${windowWords}`}
          style={{ position: 'relative', height: 12, borderRadius: 6, overflow: 'hidden' }}
        >
          <Box background="neutral150" position="absolute" top={0} bottom={0} left={0} right={0} />
          <Box
            background={alert ? 'danger600' : 'warning500'}
            position="absolute"
            top={0}
            bottom={0}
            left={0}
            style={{ width: `${share * 100}%`, transition: 'width 300ms' }}
          />
          {/* Where the alert starts. */}
          <Box background="neutral800" position="absolute" top={0} bottom={0} style={{ left: `${SIGNAL_ALERT_SHARE * 100}%`, width: 2 }} />
        </div>
        {meter ? (
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography>
              <strong>{formatNumber(meter.lost)}</strong> lost · <strong>{formatNumber(meter.slowDown)}</strong> asked to slow down
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {percent(meter.share)} of the {formatNumber(meter.viewers)} watching, in the last {windowWords}. Alert at{' '}
              {percent(SIGNAL_ALERT_SHARE)}.
            </Typography>
          </Flex>
        ) : (
          <Typography variant="pi" textColor="neutral600">
            {connected ? `No signals yet. Students press "I'm lost" or "Slow down" in the classroom.` : 'Waiting for the connection…'}
          </Typography>
        )}
      </Flex>
    </Card>
  );
};
