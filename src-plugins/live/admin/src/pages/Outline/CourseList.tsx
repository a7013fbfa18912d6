import { useEffect, useState } from 'react';
import { NavLink, useNavigate } from 'react-router-dom';
import { Layouts, Page, useDebounce, useFetchClient, useQueryParams } from '@strapi/strapi/admin';
import { Button, EmptyStateLayout, Link, Loader, Searchbar, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { errorMessage, formatCount, formatRelative } from '../../api/live';
import { listOutlineCourses, type OutlineCourseSummary } from '../../api/outline';
import { outlinePath } from './paths';
import { StateBadge } from './StateBadge';


/**
 * Step one of the outline: pick a course (drafts included), with its state and size at a
 * glance; the search is in the URL so a link to it can be shared.
 */
export const CourseList = () => {
  const client = useFetchClient();
  const navigate = useNavigate();
  const [{ query }, setQuery] = useQueryParams<{ search?: string }>();
  const [typed, setTyped] = useState(query.search ?? '');
  const search = useDebounce(typed, 250);
  const [courses, setCourses] = useState<OutlineCourseSummary[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if ((query.search ?? '') === search) return;
    // The admin's setQuery writes the query unencoded: encode the text ("C & C++") ourselves.
    if (search) setQuery({ search: encodeURIComponent(search) }, 'push', true);
    else setQuery({ search: '' }, 'remove', true);
    // Only the debounced text drives the URL; the URL's own changes come back through `query`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listOutlineCourses(client, query.search ?? '', controller.signal)
      .then((data) => {
        setCourses(data);
        setFailed(null);
      })
      .catch((error) => !controller.signal.aborted && setFailed(errorMessage(error)))
      .finally(() => !controller.signal.aborted && setLoading(false));
    return () => controller.abort();
  }, [client, query.search, reloads]);

  const retry = (
    <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => setReloads((n) => n + 1)}>
      Try again
    </Button>
  );

  return (
    <Page.Main>
      <Page.Title>Course outline</Page.Title>
      <Layouts.Header title="Course outline" subtitle="Pick a course to see and arrange its modules and lessons, then publish it whole." />
      <Layouts.Action
        startActions={
          <Searchbar
            name="search"
            value={typed}
            size="S"
            placeholder="Search courses by title"
            clearLabel="Clear the search"
            onClear={() => setTyped('')}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => setTyped(event.target.value)}
          >
            Search courses
          </Searchbar>
        }
        endActions={loading && courses ? <Loader small>Searching</Loader> : undefined}
      />
      <Layouts.Content>
        {failed && !courses ? (
          <EmptyStateLayout content={`Couldn't load the courses: ${failed}`} action={retry} />
        ) : !courses ? (
          <Page.Loading />
        ) : courses.length === 0 ? (
          <EmptyStateLayout
            content={query.search ? `No course title contains “${query.search}”.` : 'No courses yet. Create one in the content manager, then build its outline here.'}
          />
        ) : (
          <Table colCount={5} rowCount={courses.length + 1}>
            <Thead>
              <Tr>
                {['Course', 'State', 'Modules', 'Lessons', 'Last changed'].map((label) => (
                  <Th key={label}>
                    <Typography variant="sigma">{label}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {courses.map((course) => (
                <Tr key={course.documentId} onClick={() => navigate(outlinePath(course.documentId))} style={{ cursor: 'pointer' }}>
                  <Td maxWidth="40rem">
                    <Link tag={NavLink} to={outlinePath(course.documentId)} onClick={(event: React.MouseEvent) => event.stopPropagation()}>
                      {course.title}
                    </Link>
                  </Td>
                  <Td>
                    <StateBadge state={course.state} />
                  </Td>
                  <Td>
                    <Typography>{formatCount(course.modules, 'module', 'modules')}</Typography>
                  </Td>
                  <Td>
                    <Typography>{formatCount(course.lessons, 'lesson', 'lessons')}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral600" title={new Date(course.updatedAt).toLocaleString()}>
                      {formatRelative(course.updatedAt)}
                    </Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
