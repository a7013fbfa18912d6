import outline from './outline';

export default { outline };
