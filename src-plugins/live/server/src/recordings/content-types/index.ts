import liveRecording from './live-recording/schema.json';

export default {
  'live-recording': { schema: liveRecording },
};
