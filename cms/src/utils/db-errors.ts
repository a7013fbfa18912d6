// One implementation for the cms and the live plugin (which writes orders and stream events the same way).
export { isUniqueViolation } from '@skillyug/live/utils/db-errors';
