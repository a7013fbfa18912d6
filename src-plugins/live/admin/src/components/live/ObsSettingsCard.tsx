import { useEffect, useState } from 'react';
import { ConfirmDialog, useClipboard, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Accordion, Box, Button, Dialog, Field, Flex, IconButton, TextInput, Typography } from '@strapi/design-system';
import { ArrowClockwise, Duplicate, Eye, EyeStriked } from '@strapi/icons';
import { errorMessage, getStreamKey, regenerateStreamKey, type SessionDto } from '../../api/live';

const MASK = '••••••••••••••••••••••••';

type ObsSettingsCardProps = {
  session: Pick<SessionDto, 'id' | 'status' | 'ingestServer'>;
  /** plugin::live.sessions.stream-key: may reveal, copy and regenerate the key. */
  canUseStreamKey: boolean;
};

/**
 * What to paste into OBS: the server URL and the stream key, each with a copy button. The key
 * is a secret: it is fetched only when the mentor reveals or copies it (never preloaded), shown
 * masked until "Reveal", and can be regenerated (the old key stops working at once).
 */
export const ObsSettingsCard = ({ session, canUseStreamKey }: ObsSettingsCardProps) => {
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const { copy } = useClipboard();
  const [server, setServer] = useState<string | null>(session.ingestServer);
  const [streamKey, setStreamKey] = useState<string | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [busy, setBusy] = useState<'reveal' | 'copy' | 'regenerate' | null>(null);
  const [confirmRegenerate, setConfirmRegenerate] = useState(false);

  useEffect(() => setServer((current) => session.ingestServer ?? current), [session.ingestServer]);
  // Forget the key when leaving the session (the component is reused across routes).
  useEffect(() => {
    setStreamKey(null);
    setRevealed(false);
  }, [session.id]);

  const fetchKey = async () => {
    if (streamKey) return streamKey;
    const data = await getStreamKey(client, session.id);
    setStreamKey(data.streamKey);
    if (data.server) setServer(data.server);
    return data.streamKey;
  };

  const copyText = async (value: string, what: string) => {
    // navigator.clipboard where the page is a secure context; Strapi's hook falls back otherwise.
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(value);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) ok = await copy(value);
    toggleNotification(
      ok
        ? { type: 'success', message: `${what} copied. Paste it into OBS → Settings → Stream.` }
        : { type: 'warning', message: `Couldn't copy the ${what.toLowerCase()}: select it and copy it by hand.` }
    );
  };

  const toggleReveal = async () => {
    if (revealed) {
      setRevealed(false);
      return;
    }
    setBusy('reveal');
    try {
      await fetchKey();
      setRevealed(true);
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const copyKey = async () => {
    setBusy('copy');
    try {
      await copyText(await fetchKey(), 'Stream key');
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const regenerate = async () => {
    setBusy('regenerate');
    try {
      const data = await regenerateStreamKey(client, session.id);
      setStreamKey(data.streamKey);
      if (data.server) setServer(data.server);
      setRevealed(true);
      toggleNotification({ type: 'success', message: 'New stream key created. Paste it into OBS: the old key no longer works.' });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setBusy(null);
      setConfirmRegenerate(false);
    }
  };

  const closed = session.status === 'ENDED' || session.status === 'CANCELLED';

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
      <Typography variant="delta" tag="h2">
        OBS settings
      </Typography>
      <Box paddingTop={1}>
        <Typography variant="pi" textColor="neutral600">
          {closed
            ? 'This class is over: its stream key no longer works.'
            : 'In OBS: Settings → Stream → Service "Custom…", then paste these two values.'}
        </Typography>
      </Box>

      <Flex direction="column" alignItems="stretch" gap={4} paddingTop={4}>
        <Field.Root name="obs-server" hint="OBS calls this “Server”.">
          <Field.Label>Server</Field.Label>
          <TextInput
            readOnly
            value={server ?? 'Not available yet'}
            onFocus={(event: React.FocusEvent<HTMLInputElement>) => event.currentTarget.select()}
            endAction={
              server ? (
                <Field.Action label="Copy the server URL" onClick={() => copyText(server, 'Server URL')}>
                  <Duplicate />
                </Field.Action>
              ) : undefined
            }
          />
          <Field.Hint />
        </Field.Root>

        {canUseStreamKey ? (
          <Field.Root name="obs-stream-key" hint="Keep it secret: anyone with it can stream to your class.">
            <Field.Label>Stream key</Field.Label>
            <Flex gap={2} alignItems="flex-start">
              <Box grow={1}>
                <TextInput
                  readOnly
                  value={revealed && streamKey ? streamKey : MASK}
                  aria-label={revealed ? 'Stream key' : 'Stream key (hidden)'}
                  onFocus={(event: React.FocusEvent<HTMLInputElement>) => revealed && event.currentTarget.select()}
                  style={{ fontFamily: revealed ? 'monospace' : undefined }}
                  endAction={
                    <Field.Action label="Copy the stream key" onClick={copyKey} disabled={busy !== null || closed}>
                      <Duplicate />
                    </Field.Action>
                  }
                />
              </Box>
              <IconButton
                label={revealed ? 'Hide the stream key' : 'Reveal the stream key'}
                onClick={toggleReveal}
                disabled={busy !== null || closed}
                variant="tertiary"
                size="L"
              >
                {revealed ? <EyeStriked /> : <Eye />}
              </IconButton>
            </Flex>
            <Field.Hint />
          </Field.Root>
        ) : (
          <Typography variant="pi" textColor="neutral600">
            You don't have permission to see this class's stream key. Ask an administrator.
          </Typography>
        )}

        {canUseStreamKey && !closed && (
          <Flex gap={2} wrap="wrap">
            <Button variant="tertiary" onClick={toggleReveal} loading={busy === 'reveal'} startIcon={revealed ? <EyeStriked /> : <Eye />}>
              {revealed ? 'Hide key' : 'Reveal key'}
            </Button>
            <Button
              variant="danger-light"
              onClick={() => setConfirmRegenerate(true)}
              loading={busy === 'regenerate'}
              startIcon={<ArrowClockwise />}
            >
              Regenerate key
            </Button>
          </Flex>
        )}
      </Flex>

      <Box paddingTop={5}>
        <Accordion.Root>
          <Accordion.Item value="obs-help">
            <Accordion.Header>
              <Accordion.Trigger description="Recommended settings for a smooth, low-latency class">How to stream from OBS</Accordion.Trigger>
            </Accordion.Header>
            <Accordion.Content>
              <Box padding={4}>
                <Typography tag="ol" style={{ paddingLeft: '1.6rem', listStyle: 'decimal', lineHeight: 1.7 }}>
                  <li>
                    <strong>Settings → Stream</strong>: Service <strong>Custom…</strong>; paste the Server and the Stream key above.
                  </li>
                  <li>
                    <strong>Settings → Output</strong> (Output Mode: Advanced): Encoder <strong>x264</strong>, Rate control <strong>CBR</strong>,
                    Bitrate <strong>2500–4500 kbps</strong>, Keyframe interval <strong>2 s</strong>, CPU preset <strong>veryfast</strong>,
                    Tune <strong>zerolatency</strong>.
                  </li>
                  <li>
                    <strong>Settings → Video</strong>: 1280×720 or 1920×1080 at <strong>30 fps</strong>.
                  </li>
                  <li>
                    Click <strong>Start Streaming</strong> in OBS. The class goes live as soon as your video arrives ("Stream health"
                    says <em>Receiving video</em>). <strong>Go live</strong> opens the class before that, if you want students waiting.
                  </li>
                  <li>
                    When you're done, click <strong>End class</strong> here, then Stop Streaming in OBS. (Stopping OBS alone also ends
                    the class, after a short grace period for reconnects.)
                  </li>
                </Typography>
              </Box>
            </Accordion.Content>
          </Accordion.Item>
        </Accordion.Root>
      </Box>

      <Dialog.Root open={confirmRegenerate} onOpenChange={(open: boolean) => !open && setConfirmRegenerate(false)}>
        <ConfirmDialog title="Regenerate the stream key?" onConfirm={regenerate} variant="danger">
          {session.status === 'LIVE'
            ? 'You are live: OBS will be disconnected as soon as the old key stops working, and students will see the stream stop until you paste the new key into OBS and start streaming again.'
            : 'The current key stops working at once. You will have to paste the new key into OBS (Settings → Stream) before you can stream.'}
        </ConfirmDialog>
      </Dialog.Root>
    </Box>
  );
};
