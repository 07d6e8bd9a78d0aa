/** The Chromium executable for browser tests, or null; with install, apt-get installs Debian's when root. */
export function findChromium(options?: { install?: boolean; log?: (line: string) => void }): string | null;
