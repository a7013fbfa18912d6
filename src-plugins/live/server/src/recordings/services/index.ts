import recordings from './recordings';
import processor from './processor';
import viewing from './viewing';
import publishing from './publishing';
import storage from './storage';

export default { recordings, recordingProcessor: processor, recordingViewing: viewing, recordingPublishing: publishing, recordingStorage: storage };
