import type { ReactNode } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

type StatCardProps = {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  icon?: ReactNode;
  /** Bigger number, for the one figure that matters on screen (current viewers). */
  emphasis?: boolean;
};

/** One figure with its label: "Peak viewers 42". */
export const StatCard = ({ label, value, hint, icon, emphasis }: StatCardProps) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={emphasis ? 6 : 5} height="100%">
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Flex gap={2} alignItems="center">
        {icon && (
          <Flex color="primary600" tag="span" aria-hidden>
            {icon}
          </Flex>
        )}
        <Typography variant="sigma" textColor="neutral600">
          {label}
        </Typography>
      </Flex>
      <Typography variant={emphasis ? 'alpha' : 'beta'} tag="p" fontWeight="bold" style={emphasis ? { fontSize: '3.2rem', lineHeight: 1.1 } : undefined}>
        {value}
      </Typography>
      {hint && (
        <Typography variant="pi" textColor="neutral600">
          {hint}
        </Typography>
      )}
    </Flex>
  </Box>
);
