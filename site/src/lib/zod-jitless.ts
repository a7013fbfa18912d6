/**
 * In the browser the site's Content-Security-Policy forbids eval: unless told otherwise, zod
 * probes for it with `new Function('')` (caught, but reported as a violation) the first time an
 * object schema is built, to compile faster object checks. Import this before any module that
 * builds zod schemas at load time (the account rules, the live plugin's realtime contracts).
 */
import { z } from 'zod';

z.config({ jitless: true });
