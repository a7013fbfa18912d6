import { useEffect, useState } from 'react';
import { Page, Layouts, useFetchClient } from '@strapi/strapi/admin';
import { Box, Typography, Badge } from '@strapi/design-system';

type Health = { status: string; database: string; liveProvider: string; chatProvider: string; payments: string };

/** The live-classes panel. For now it shows what the module runs on; sessions come with the live issue. */
const App = () => {
  const { get } = useFetchClient();
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    get<Health>('/live/health')
      .then(({ data }) => setHealth(data))
      .catch((e: Error) => setError(e.message));
  }, [get]);

  if (error) return <Page.Error />;
  if (!health) return <Page.Loading />;
  return (
    <Page.Main>
      <Layouts.Header title="Live classes" subtitle="Run live classes from OBS for your courses" />
      <Layouts.Content>
        <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
          <Typography variant="delta" tag="h2">
            Live module status
          </Typography>
          <Box paddingTop={4}>
            <Badge>{health.status}</Badge> <Typography>Video: {health.liveProvider}</Typography>{' '}
            <Typography>Chat: {health.chatProvider}</Typography> <Typography>Database: {health.database}</Typography>{' '}
            <Typography>Payments: {health.payments}</Typography>
          </Box>
        </Box>
      </Layouts.Content>
    </Page.Main>
  );
};

export default App;
