import chat from './chat';
import classroom from './classroom';

export default { chat, classroom };
