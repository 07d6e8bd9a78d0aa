/** True when this process may install packages: root, with apt-get on the machine. */
export function canAptInstall(): boolean;
/** Runs `apt-get install -y` for `packages`, refreshing the package lists once per process; throws on failure. */
export function aptInstall(packages: string[], options?: { recommends?: boolean }): void;
