import type { ReactNode } from 'react';
import { Box, Typography } from '@strapi/design-system';

/** A white panel with an optional h2, as every block of the class page is drawn. */
export const Card = ({ children, title }: { children: ReactNode; title?: string }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
    {title && (
      <Box paddingBottom={4}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
      </Box>
    )}
    {children}
  </Box>
);
