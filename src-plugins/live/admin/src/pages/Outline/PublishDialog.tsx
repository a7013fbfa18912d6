import { useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { Alert, Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { Eye, EyeStriked } from '@strapi/icons';
import { errorMessage, formatCount } from '../../api/live';
import { publishCourse, unpublishCourse, type Outline } from '../../api/outline';

type PublishDialogProps = {
  action: 'publish' | 'unpublish';
  outline: Outline;
  onClose: () => void;
  /** Done: the outline as it now is, and a sentence saying what happened. */
  onDone: (outline: Outline, message: string) => void;
};


/**
 * "Publish course" / "Unpublish course": says exactly what will happen before it happens. The
 * dialog stays open while the server works; a refusal (an item that can't be published, named by
 * the server) shows inside it.
 */
export const PublishDialog = ({ action, outline, onClose, onDone }: PublishDialogProps) => {
  const client = useFetchClient();
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const modules = outline.modules.length;
  const lessons = outline.modules.reduce((sum, module) => sum + module.lessons.length, 0);
  const publish = action === 'publish';

  const confirm = async () => {
    setWorking(true);
    setFailure(null);
    try {
      if (publish) {
        const { outline: next, published } = await publishCourse(client, outline.course.documentId);
        // The counts are what this publish changed: items already live as they are aren't counted.
        const changed = published.modules + published.lessons;
        onDone(
          next,
          changed
            ? `Published “${next.course.title}”: ${formatCount(published.modules, 'module', 'modules')} and ${formatCount(published.lessons, 'lesson', 'lessons')} went live.`
            : `Published “${next.course.title}”. Its modules and lessons were already live as they are.`
        );
      } else {
        const { outline: next } = await unpublishCourse(client, outline.course.documentId);
        onDone(next, `“${next.course.title}” is hidden from the site. Its drafts are kept here.`);
      }
    } catch (error) {
      setFailure(errorMessage(error));
      setWorking(false);
    }
  };

  return (
    <Dialog.Root open onOpenChange={(open: boolean) => !open && !working && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{publish ? 'Publish the whole course?' : 'Unpublish the whole course?'}</Dialog.Header>
        <Dialog.Body icon={publish ? <Eye /> : <EyeStriked />}>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            <Typography textAlign="center" tag="p" data-testid="publish-summary">
              {publish
                ? `Publishes the course, its ${formatCount(modules, 'module', 'modules')} and ${formatCount(lessons, 'lesson', 'lessons')}; students see it at once.`
                : 'Hides the course, its modules and lessons from the site.'}
            </Typography>
            <Typography textAlign="center" tag="p" variant="pi" textColor="neutral600">
              {publish
                ? 'Every draft change in the outline goes live together, in the order shown.'
                : 'Nothing is deleted: the drafts stay here, and publishing again brings it all back.'}
            </Typography>
            {failure && (
              <Alert variant="danger" title={publish ? 'The course wasn’t published' : 'The course wasn’t unpublished'} closeLabel="Dismiss" onClose={() => setFailure(null)}>
                {failure}
              </Alert>
            )}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={working}>
              Cancel
            </Button>
          </Dialog.Cancel>
          <Button fullWidth variant={publish ? 'default' : 'danger-light'} loading={working} onClick={confirm}>
            {publish ? 'Publish course' : 'Unpublish course'}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
