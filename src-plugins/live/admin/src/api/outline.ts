/**
 * The course outline API (server/src/authoring), typed with the server's own contracts so the
 * page and the API can't drift apart. Each function takes the admin fetch client
 * (useFetchClient()), returns the envelope's `data` (the whole outline after every change, so the
 * page never patches its copy by hand) and throws a LiveApiError carrying the server's message.
 *
 * Bulk upload goes to Strapi's own media library (`POST /upload`) with an XMLHttpRequest: fetch
 * can't report upload progress.
 */
import type { CreateLessonBody, OrderBody, Outline, OutlineCounts, OutlineCourseSummary } from '../../../server/src/authoring/contracts';
import { toLiveApiError, type LiveClient } from './live';

export type * from '../../../server/src/authoring/contracts';

export type PublishResult = { outline: Outline; published: OutlineCounts };
export type UnpublishResult = { outline: Outline; unpublished: OutlineCounts };

async function call<T>(request: Promise<{ data: { data: T } }>): Promise<T> {
  try {
    const { data } = await request;
    return data.data;
  } catch (error) {
    throw toLiveApiError(error);
  }
}

const id = (documentId: string) => encodeURIComponent(documentId);

export const listOutlineCourses = (client: LiveClient, search: string, signal?: AbortSignal) =>
  call<OutlineCourseSummary[]>(client.get('/live/outline/courses', { params: search.trim() ? { search: search.trim() } : undefined, signal }));

export const getOutline = (client: LiveClient, courseId: string, signal?: AbortSignal) =>
  call<Outline>(client.get(`/live/outline/courses/${id(courseId)}`, { signal }));

/** Appends a module to the course. */
export const addModule = (client: LiveClient, courseId: string, title: string) =>
  call<Outline>(client.post(`/live/outline/courses/${id(courseId)}/modules`, { title }));

export const renameModule = (client: LiveClient, moduleId: string, title: string) =>
  call<Outline>(client.put(`/live/outline/modules/${id(moduleId)}`, { title }));

/** Refused (409, with the reason) while the module still has lessons. */
export const removeModule = (client: LiveClient, moduleId: string) => call<Outline>(client.del(`/live/outline/modules/${id(moduleId)}`));

/** Appends a draft lesson to the module. */
export const addLesson = (client: LiveClient, moduleId: string, lesson: CreateLessonBody) =>
  call<Outline>(client.post(`/live/outline/modules/${id(moduleId)}/lessons`, lesson));

export const renameLesson = (client: LiveClient, lessonId: string, title: string) =>
  call<Outline>(client.put(`/live/outline/lessons/${id(lessonId)}`, { title }));

export const removeLesson = (client: LiveClient, lessonId: string) => call<Outline>(client.del(`/live/outline/lessons/${id(lessonId)}`));

/** The whole order at once (the server refuses a list that isn't exactly the course's modules and lessons). */
export const saveOrder = (client: LiveClient, courseId: string, order: OrderBody) =>
  call<Outline>(client.put(`/live/outline/courses/${id(courseId)}/order`, order));

export async function publishCourse(client: LiveClient, courseId: string): Promise<PublishResult> {
  try {
    const { data } = await client.post<{ data: Outline; meta: { published: OutlineCounts } }>(`/live/outline/courses/${id(courseId)}/publish`, {});
    return { outline: data.data, published: data.meta.published };
  } catch (error) {
    throw toLiveApiError(error);
  }
}

export async function unpublishCourse(client: LiveClient, courseId: string): Promise<UnpublishResult> {
  try {
    const { data } = await client.post<{ data: Outline; meta: { unpublished: OutlineCounts } }>(`/live/outline/courses/${id(courseId)}/unpublish`, {});
    return { outline: data.data, unpublished: data.meta.unpublished };
  } catch (error) {
    throw toLiveApiError(error);
  }
}

/** The outline as the reorder call wants it. */
export const orderOf = (outline: Pick<Outline, 'modules'>): OrderBody => ({
  modules: outline.modules.map((module) => ({ documentId: module.documentId, lessons: module.lessons.map((lesson) => lesson.documentId) })),
});

// ---------------------------------------------------------------------------
// Bulk upload

/** A file of Strapi's media library, as `POST /upload` answers (only what the outline uses). */
export type UploadedFile = { id: number; name: string; mime: string; url: string };

export type UploadRequest = {
  file: File;
  /** The admin's current access token (useAuth's `token`). */
  token: string | null;
  /** Called again and again with the bytes sent so far. */
  onProgress: (sent: number, total: number) => void;
  signal?: AbortSignal;
  /** Gets a fresh token when the current one has expired (the admin's attemptTokenRefresh). */
  refreshToken: () => Promise<string>;
};

/**
 * Uploads one file to the media library with progress. On a 401 (the short-lived access token
 * lapsed mid-batch) it refreshes the token once and sends the file again.
 */
export async function uploadToMediaLibrary(request: UploadRequest): Promise<UploadedFile> {
  try {
    return await sendUpload(request, request.token);
  } catch (error) {
    if ((error as { status?: number }).status !== 401) throw error;
    return sendUpload(request, await request.refreshToken());
  }
}

function sendUpload({ file, onProgress, signal }: UploadRequest, token: string | null): Promise<UploadedFile> {
  const backendURL: string = (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new UploadError('The upload was cancelled.'));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${backendURL}/upload`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded, event.total);
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort);
    xhr.onloadend = () => signal?.removeEventListener('abort', abort);
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* an HTML error page or nothing: the status says enough */
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const uploaded = Array.isArray(body) ? body[0] : body;
        if (uploaded && typeof uploaded.id === 'number') return resolve(uploaded as UploadedFile);
        return reject(new UploadError('The media library answered without the uploaded file.', xhr.status));
      }
      const message = body?.error?.message ?? (xhr.status === 413 ? 'The file is larger than the server accepts.' : `The upload failed (HTTP ${xhr.status}).`);
      reject(new UploadError(message, xhr.status));
    };
    xhr.onerror = () => reject(new UploadError('The upload failed: the server could not be reached.'));
    xhr.onabort = () => reject(new UploadError('The upload was cancelled.'));
    const form = new FormData();
    form.append('files', file, file.name);
    form.append('fileInfo', JSON.stringify({ name: file.name }));
    xhr.send(form);
  });
}

export class UploadError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'UploadError';
    this.status = status;
  }
}

/**
 * A video's length in whole seconds, read by the browser from the file's own metadata (a
 * detached <video> on an object URL: nothing is shown or played). Null when the browser can't
 * read it (an unsupported codec): the server then probes the uploaded file itself.
 */
export function readVideoDuration(file: File, timeoutMs = 15_000): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    let settled = false;
    const finish = (seconds: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve(seconds);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    video.preload = 'metadata';
    video.muted = true;
    video.onloadedmetadata = () => finish(Number.isFinite(video.duration) && video.duration > 0 ? Math.round(video.duration) : null);
    video.onerror = () => finish(null);
    video.src = url;
  });
}

/**
 * A lesson title from a file name: "03-closures_and-scope.final.mp4" → "Closures and scope final".
 * The extension goes, a leading number that only orders the files ("03-", "1. ", "002_") goes,
 * dashes, underscores and dots become spaces, and the first letter is capitalised.
 */
export function titleFromFileName(name: string): string {
  const words = name
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[-_.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const unnumbered = words.replace(/^\d{1,3}\s+(?=\S)/, '');
  const title = (unnumbered || words || 'Untitled video').slice(0, 160);
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** Does a drag carry files from the desktop (as opposed to an outline item being moved)? */
export const dragHasFiles = (event: { dataTransfer: DataTransfer | null }) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export const isVideoFile = (file: File) => file.type.startsWith('video/') || /\.(mp4|m4v|mov|webm|mkv|avi)$/i.test(file.name);
