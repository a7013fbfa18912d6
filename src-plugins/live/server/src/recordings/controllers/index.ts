import recordings from './recordings';
import panel from './panel';

export default { recordings, recordingsPanel: panel };
