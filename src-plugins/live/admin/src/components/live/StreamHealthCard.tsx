import { useState } from 'react';
import { Alert, Badge, Box, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import type { SessionStatus, StatusResponse } from '../../api/live';
import { LiveDot } from './StatusBadge';
import { STUDENT_INTERRUPTED_MESSAGE } from '../../../../server/src/sessions/providers/local/health-report';

type Level = 'good' | 'warn' | 'unknown';

/** OBS's usual mistakes, caught from the numbers (the server adds its own warnings). */
const bitrateLevel = (kbps: number | null): Level => (kbps == null ? 'unknown' : kbps < 1200 || kbps > 8000 ? 'warn' : 'good');
const fpsLevel = (fps: number | null): Level => (fps == null ? 'unknown' : fps < 20 ? 'warn' : 'good');
const keyframeLevel = (seconds: number | null): Level => (seconds == null ? 'unknown' : seconds > 2.5 ? 'warn' : 'good');

const Metric = ({ label, value, unit, level, hint }: { label: string; value: number | null; unit: string; level: Level; hint: string }) => (
  <Box padding={4} background={level === 'warn' ? 'warning100' : 'neutral100'} hasRadius height="100%">
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Flex gap={1} alignItems="baseline" paddingTop={1}>
      {/* neutral800 even when warning: warning700 on the warning100 box is 4.0:1, under WCAG AA; the box's colour carries the warning. */}
      <Typography variant="beta" tag="p" textColor="neutral800">
        {value == null ? '—' : Number.isInteger(value) ? value : value.toFixed(1)}
      </Typography>
      {value != null && (
        <Typography variant="pi" textColor="neutral600">
          {unit}
        </Typography>
      )}
    </Flex>
    <Typography variant="pi" textColor="neutral600">
      {hint}
    </Typography>
  </Box>
);

type StreamHealthCardProps = {
  sessionStatus: SessionStatus;
  status: StatusResponse | null;
  /** The last poll failed: the numbers on screen may be stale. */
  error: string | null;
};

/**
 * Is OBS's video arriving, and how well: a receiving/not-receiving indicator, the provider's
 * verdict, bitrate / fps / keyframe interval, and the server's warnings as alerts.
 */
export const StreamHealthCard = ({ sessionStatus, status, error }: StreamHealthCardProps) => {
  const stream = status?.stream;
  const receiving = Boolean(stream?.live);
  // The design system's alerts always have a close button: closing hides that message until it changes.
  const [dismissed, setDismissed] = useState<string[]>([]);
  const dismiss = (key: string) => () => setDismissed((keys) => [...keys, key]);
  // Starving means video arrives too slowly; with no encoder connected there is nothing to starve.
  const starving = receiving && stream?.health === 'STARVING' && !dismissed.includes('starving');
  const warnings = (stream?.warnings ?? []).filter((warning) => !dismissed.includes(warning));
  const showError = error && !dismissed.includes(`error:${error}`);

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
      <Flex justifyContent="space-between" alignItems="center" wrap="wrap" gap={2}>
        <Typography variant="delta" tag="h2">
          Stream health
        </Typography>
        {stream && (
          <Badge variant={stream.health === 'HEALTHY' ? 'success' : stream.health === 'STARVING' ? 'danger' : 'neutral'}>
            {stream.health === 'HEALTHY' ? 'Healthy' : stream.health === 'STARVING' ? 'Starving' : 'Unknown'}
          </Badge>
        )}
      </Flex>

      {!status && !error ? (
        <Flex paddingTop={4} gap={2}>
          <Loader small>Checking the stream</Loader>
          <Typography textColor="neutral600">Checking the stream…</Typography>
        </Flex>
      ) : (
        <>
          <Flex paddingTop={4} gap={3} alignItems="center" role="status" aria-live="polite">
            {receiving ? (
              <LiveDot $size={12} aria-hidden />
            ) : (
              <Box
                tag="span"
                width="12px"
                height="12px"
                style={{ borderRadius: '50%', display: 'inline-block' }}
                background={sessionStatus === 'LIVE' ? 'warning500' : 'neutral300'}
                aria-hidden
              />
            )}
            <Box>
              <Typography fontWeight="bold" tag="p">
                {receiving
                  ? 'Receiving video from OBS'
                  : sessionStatus === 'LIVE'
                    ? 'Not receiving video'
                    : 'Waiting for OBS'}
              </Typography>
              <Typography variant="pi" textColor="neutral600" tag="p">
                {receiving
                  ? stream?.startedAt
                    ? `Stream started ${new Date(stream.startedAt).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}`
                    : 'Your stream is arriving.'
                  : sessionStatus === 'LIVE'
                    ? `OBS isn't sending video. Students see the last frame frozen, then "${STUDENT_INTERRUPTED_MESSAGE}"; unless OBS comes back shortly, the class ends. Check that OBS shows "Live" and its status bar is green.`
                    : 'Click Start Streaming in OBS: the class goes live for students as soon as your video arrives.'}
              </Typography>
            </Box>
          </Flex>

          <Box paddingTop={4}>
            <Grid.Root gap={3}>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Metric
                  label="Bitrate"
                  value={stream?.bitrateKbps ?? null}
                  unit="kbps"
                  level={bitrateLevel(stream?.bitrateKbps ?? null)}
                  hint="Aim for 2500–4500"
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Metric label="Frame rate" value={stream?.fps ?? null} unit="fps" level={fpsLevel(stream?.fps ?? null)} hint="30 fps is plenty" />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Metric
                  label="Keyframe interval"
                  value={stream?.keyframeIntervalSeconds ?? null}
                  unit="s"
                  level={keyframeLevel(stream?.keyframeIntervalSeconds ?? null)}
                  hint="Set 2 s in OBS"
                />
              </Grid.Item>
            </Grid.Root>
          </Box>

          {(starving || warnings.length > 0 || showError) && (
            <Flex direction="column" alignItems="stretch" gap={2} paddingTop={4}>
              {starving && (
                <Alert variant="danger" title="The stream is starving" closeLabel="Dismiss" onClose={dismiss('starving')}>
                  OBS is connected but its video is arriving too slowly or has stalled, so students' pictures freeze. Lower the bitrate in OBS (Settings → Output) or check your upload connection.
                </Alert>
              )}
              {warnings.map((warning) => (
                <Alert key={warning} variant="warning" title="Check OBS" closeLabel="Dismiss" onClose={dismiss(warning)}>
                  {warning}
                </Alert>
              ))}
              {showError && (
                <Alert variant="default" title="Couldn't refresh the stream status" closeLabel="Dismiss" onClose={dismiss(`error:${error}`)}>
                  {error} The figures above may be out of date; retrying.
                </Alert>
              )}
            </Flex>
          )}
        </>
      )}
    </Box>
  );
};
