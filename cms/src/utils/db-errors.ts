/** The unique-constraint error of either engine (a concurrent insert won the race). */
export const isUniqueViolation = (error: any) =>
  error?.code === '23505' || error?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /unique/i.test(String(error?.message));
