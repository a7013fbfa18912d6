import liveSession from './live-session/schema.json';
import liveAttendee from './live-attendee/schema.json';
import liveStreamEvent from './live-stream-event/schema.json';

export default {
  'live-session': { schema: liveSession },
  'live-attendee': { schema: liveAttendee },
  'live-stream-event': { schema: liveStreamEvent },
};
