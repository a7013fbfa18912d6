import { useMemo, useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { Flex, Loader, Table, Tbody, Td, TextButton, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { CaretDown, CaretUp } from '@strapi/icons';
import { formatDuration, formatTime, getAttendance, type AttendanceEntryDto } from '../../api/live';
import { Card } from './Card';
import { useLoaded } from './useLoaded';
import { LoadFailed } from './LoadFailed';

type SortKey = 'watchSeconds' | 'name';
type Sort = { key: SortKey; descending: boolean };

const sorted = (entries: AttendanceEntryDto[], { key, descending }: Sort) =>
  [...entries].sort((a, b) => {
    const order = key === 'name' ? a.name.localeCompare(b.name) : a.watchSeconds - b.watchSeconds || a.name.localeCompare(b.name);
    return descending ? -order : order;
  });

/** A column title that sorts the table, saying which way it sorts now. */
const SortHeader = ({ label, column, sort, onSort }: { label: string; column: SortKey; sort: Sort; onSort: (key: SortKey) => void }) => {
  const active = sort.key === column;
  return (
    // No aria-sort: the design system's header cells are grid cells, which don't take it; the button says the order instead.
    <Th>
      <TextButton
        onClick={() => onSort(column)}
        endIcon={active ? sort.descending ? <CaretDown aria-hidden /> : <CaretUp aria-hidden /> : undefined}
        aria-label={`Sort by ${label.toLowerCase()}${active ? ` (now ${sort.descending ? 'descending' : 'ascending'})` : ''}`}
      >
        <Typography variant="sigma" textColor={active ? 'primary600' : 'neutral600'}>
          {label}
        </Typography>
      </TextButton>
    </Th>
  );
};

/** After the class: every student who attended, how long they watched, when they came and left. */
export const AttendanceCard = ({ sessionId }: { sessionId: string }) => {
  const client = useFetchClient();
  const { data, error, reload } = useLoaded(() => getAttendance(client, sessionId), [client, sessionId]);
  const [sort, setSort] = useState<Sort>({ key: 'watchSeconds', descending: true });
  const rows = useMemo(() => (data ? sorted(data, sort) : []), [data, sort]);
  const onSort = (key: SortKey) =>
    setSort((current) => (current.key === key ? { key, descending: !current.descending } : { key, descending: key === 'watchSeconds' }));

  if (error) {
    return (
      <LoadFailed title="Couldn't load the attendance" error={error} onRetry={reload} />
    );
  }
  return (
    <Card title="Attendance">
      {!data ? (
        <Flex gap={2}>
          <Loader small>Loading the attendance</Loader>
          <Typography textColor="neutral600">Loading the attendance…</Typography>
        </Flex>
      ) : rows.length === 0 ? (
        <Typography textColor="neutral600">No student joined this class.</Typography>
      ) : (
        <Table colCount={4} rowCount={rows.length + 1} aria-label="Students who attended">
          <Thead>
            <Tr>
              <SortHeader label="Student" column="name" sort={sort} onSort={onSort} />
              <SortHeader label="Watch time" column="watchSeconds" sort={sort} onSort={onSort} />
              <Th>
                <Typography variant="sigma">Joined</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">Left</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((entry) => (
              <Tr key={entry.userId}>
                <Td maxWidth="24rem">
                  <Typography ellipsis>{entry.name}</Typography>
                </Td>
                <Td>
                  <Typography>{formatDuration(entry.watchSeconds)}</Typography>
                </Td>
                <Td>
                  <Typography>{formatTime(entry.joinedAt)}</Typography>
                </Td>
                <Td>
                  <Typography textColor={entry.watching ? 'success600' : undefined}>{entry.watching ? 'Still watching' : formatTime(entry.leftAt)}</Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Card>
  );
};
