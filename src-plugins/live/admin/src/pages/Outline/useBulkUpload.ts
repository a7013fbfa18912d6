import { useCallback, useRef, useState } from 'react';
import { attemptTokenRefresh, useAuth, useFetchClient } from '@strapi/strapi/admin';
import { errorMessage } from '../../api/live';
import { addLesson, isVideoFile, readVideoDuration, titleFromFileName, uploadToMediaLibrary, type Outline } from '../../api/outline';

export type UploadStage = 'waiting' | 'reading' | 'uploading' | 'creating' | 'done' | 'failed';

export type UploadItem = {
  key: string;
  fileName: string;
  title: string;
  stage: UploadStage;
  /** Of the file's bytes sent, 0–100. */
  percent: number;
  /** Whole seconds, as the browser read them (null: unknown, the server probes the file). */
  duration: number | null;
  error: string | null;
};

let uploadCounter = 0;

/** "lesson-2.mp4" before "lesson-10.mp4": numbered files in the order their names count. */
const byName = (a: File, b: File) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });

/**
 * Dropped videos → draft lessons at the end of one module, one file at a time in name order (so
 * the lessons come out in that order): the browser reads each video's length, the file goes to
 * the media library with its progress shown, then the lesson is created with the file and the
 * length. A file that fails says why and the next one goes on.
 */
export function useBulkUpload(moduleId: string, onOutline: (outline: Outline) => void) {
  const client = useFetchClient();
  const token = useAuth('CourseOutline', (state) => state.token);
  // The queue outlives renders; the latest token and callback are read when each file starts.
  const latest = useRef({ token, onOutline });
  latest.current = { token, onOutline };
  const queue = useRef<{ key: string; file: File }[]>([]);
  const running = useRef(false);
  const [items, setItems] = useState<UploadItem[]>([]);

  const update = useCallback((key: string, changes: Partial<UploadItem>) => {
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...changes } : item)));
  }, []);

  const processOne = useCallback(
    async ({ key, file }: { key: string; file: File }) => {
      const title = titleFromFileName(file.name);
      if (!isVideoFile(file)) return update(key, { stage: 'failed', error: 'Not a video file: only videos become lessons here.' });
      try {
        update(key, { stage: 'reading' });
        const duration = await readVideoDuration(file);
        update(key, { stage: 'uploading', duration });
        let shownPercent = 0;
        const uploaded = await uploadToMediaLibrary({
          file,
          token: latest.current.token ?? null,
          refreshToken: () => attemptTokenRefresh(),
          // One render per whole percent, not per progress event.
          onProgress: (sent, total) => {
            const percent = total ? Math.floor((sent / total) * 100) : 0;
            if (percent !== shownPercent) update(key, { percent: (shownPercent = percent) });
          },
        });
        update(key, { stage: 'creating', percent: 100 });
        const outline = await addLesson(client, moduleId, { title, type: 'video', videoFileId: uploaded.id, ...(duration ? { duration } : {}) });
        latest.current.onOutline(outline);
        update(key, { stage: 'done' });
      } catch (error) {
        update(key, { stage: 'failed', error: errorMessage(error) });
      }
    },
    [client, moduleId, update]
  );

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    try {
      for (let next = queue.current.shift(); next; next = queue.current.shift()) await processOne(next);
    } finally {
      running.current = false;
    }
  }, [processOne]);

  /** Adds files to this module's queue (a second drop waits for the first to finish). */
  const enqueue = useCallback(
    (files: File[]) => {
      const added = [...files].sort(byName).map((file) => ({ key: `upload-${++uploadCounter}`, file }));
      if (!added.length) return;
      queue.current.push(...added);
      setItems((all) => [
        ...all,
        ...added.map(({ key, file }) => ({ key, fileName: file.name, title: titleFromFileName(file.name), stage: 'waiting' as const, percent: 0, duration: null, error: null })),
      ]);
      void run();
    },
    [run]
  );

  /** Forgets the finished and failed rows (the ones still going stay). */
  const clearFinished = useCallback(() => setItems((all) => all.filter((item) => item.stage !== 'done' && item.stage !== 'failed')), []);

  const busy = items.some((item) => item.stage !== 'done' && item.stage !== 'failed');
  return { items, enqueue, clearFinished, busy };
}
