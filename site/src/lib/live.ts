/**
 * Upcoming live classes — the seam for the live-classroom issue.
 *
 * Scheduled sessions don't exist in the API yet (lessons of type `live` are the syllabus entry
 * for a class, with no date). When the live plugin serves sessions, implement these two
 * functions against it in api.ts; the course page and the dashboard already render whatever they
 * return (and nothing when the list is empty), and `liveClassUrl` is where the classroom page
 * (`src/pages/live/[session].astro`) will live.
 */
export type LiveClass = {
  id: string;
  title: string;
  startsAt: string;
  courseSlug: string;
  courseTitle: string;
};

/** Upcoming live classes of one course (public). */
export async function upcomingLiveClasses(_courseDocumentId: string): Promise<LiveClass[]> {
  return [];
}

/** Upcoming live classes of the student's courses (with their token). */
export async function myUpcomingLiveClasses(_token: string, _courseDocumentIds: string[]): Promise<LiveClass[]> {
  return [];
}

export const liveClassUrl = (liveClass: LiveClass) => `/live/${encodeURIComponent(liveClass.id)}`;
