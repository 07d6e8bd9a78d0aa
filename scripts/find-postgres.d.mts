/** The directory holding initdb, pg_ctl and postgres, or null when none can be found (or, with install, installed). */
export function findPostgres(options?: { install?: boolean; log?: (line: string) => void }): string | null;
