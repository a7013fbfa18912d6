import path from 'node:path';
import { loadEnv, databaseConnection } from '@skillyug/config';

// cms/config → cms (also from the compiled cms/dist/config)
const appDir = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

export default () => ({ connection: databaseConnection(loadEnv('cms'), appDir) });
