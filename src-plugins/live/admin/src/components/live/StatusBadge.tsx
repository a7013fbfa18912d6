import { Badge, Flex } from '@strapi/design-system';
import { styled, keyframes } from 'styled-components';
import type { SessionStatus } from '../../api/live';

const pulse = keyframes`
  0% { box-shadow: 0 0 0 0 rgba(238, 94, 82, 0.7); }
  70% { box-shadow: 0 0 0 6px rgba(238, 94, 82, 0); }
  100% { box-shadow: 0 0 0 0 rgba(238, 94, 82, 0); }
`;

/** The red "on air" dot. Respects reduced motion. */
export const LiveDot = styled.span<{ $size?: number }>`
  display: inline-block;
  flex-shrink: 0;
  width: ${({ $size = 8 }) => $size}px;
  height: ${({ $size = 8 }) => $size}px;
  border-radius: 50%;
  background: ${({ theme }) => theme.colors.danger600};
  animation: ${pulse} 1.6s ease-out infinite;

  @media (prefers-reduced-motion: reduce) {
    animation: none;
  }
`;

const LABEL: Record<SessionStatus, string> = {
  SCHEDULED: 'Scheduled',
  LIVE: 'Live',
  ENDED: 'Ended',
  CANCELLED: 'Cancelled',
};

export const STATUS_LABEL = LABEL;

/** LIVE is red and pulsing; SCHEDULED blue; ENDED green; CANCELLED grey. */
export const StatusBadge = ({ status, size = 'M' }: { status: SessionStatus; size?: 'S' | 'M' }) => {
  if (status === 'LIVE') {
    return (
      // Colours, not variant="danger": its danger700 on danger200 is 3.9:1, under WCAG AA for 11 px text; on danger100 it's 5.4:1.
      <Badge size={size} backgroundColor="danger100" textColor="danger700" aria-label="Live now">
        <Flex gap={1} tag="span" alignItems="center">
          <LiveDot aria-hidden />
          LIVE
        </Flex>
      </Badge>
    );
  }
  const variant = status === 'SCHEDULED' ? 'primary' : status === 'ENDED' ? 'success' : 'neutral';
  return (
    <Badge size={size} variant={variant}>
      {LABEL[status]}
    </Badge>
  );
};
