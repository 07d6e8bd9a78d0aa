/** Per language: the commands it needs and the Debian packages that provide them. */
export const SNIPPET_RUNTIMES: Record<string, { commands: string[]; packages: string[] }>;
/** The absolute path of an executable on $PATH, or null. */
export function findCommand(name: string): string | null;
/** Which snippet runtimes exist (language → command path or null); with install, apt-get installs the missing ones when root. */
export function ensureSnippetRuntimes(options?: { install?: boolean; log?: (line: string) => void }): Record<string, string | null>;
