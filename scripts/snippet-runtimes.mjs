// Finds the interpreters and compilers that run docs/snippets/ (PHP, Python, Java, Go, C#, Ruby, Node)
// and, when asked and root, installs the missing ones from Debian packages with apt-get.
import { accessSync, constants } from 'node:fs';
import { aptInstall, canAptInstall } from './apt-install.mjs';
import { delimiter, join } from 'node:path';

/** Per language: the commands it needs (the first one runs the snippet) and the Debian packages that provide them. */
export const SNIPPET_RUNTIMES = {
  php: { commands: ['php'], packages: ['php-cli'] },
  python: { commands: ['python3'], packages: ['python3'] },
  java: { commands: ['java', 'javac'], packages: ['default-jdk-headless'] },
  go: { commands: ['go'], packages: ['golang-go'] },
  csharp: { commands: ['mono', 'mcs'], packages: ['mono-mcs', 'mono-runtime'] },
  ruby: { commands: ['ruby'], packages: ['ruby'] },
  node: { commands: ['node'], packages: ['nodejs'] },
};

/** The absolute path of an executable `name` on $PATH, or null. */
export function findCommand(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  return null;
}

function detect() {
  const found = {};
  for (const [language, { commands }] of Object.entries(SNIPPET_RUNTIMES)) {
    const paths = commands.map(findCommand);
    found[language] = paths.every(Boolean) ? paths[0] : null;
  }
  // Node always runs this very script, even when no `node` is on $PATH.
  found.node ??= process.execPath;
  return found;
}

/**
 * Returns { php, python, java, go, csharp, ruby, node }: the path of the command that runs each
 * language's snippet, or null when it (or its compiler) is missing. With install, when root and
 * apt-get exists, first installs the missing languages' Debian packages (one apt-get update).
 * Never throws: a failed install is logged and the languages stay null.
 */
export function ensureSnippetRuntimes({ install = false, log = console.log } = {}) {
  const found = detect();
  const missing = Object.keys(found).filter((language) => !found[language]);
  if (!install || missing.length === 0) return found;
  const packages = [...new Set(missing.flatMap((language) => SNIPPET_RUNTIMES[language].packages))];
  if (!canAptInstall()) {
    log(`Snippet runtimes missing: ${missing.join(', ')}. Install them with: sudo apt-get install -y ${packages.join(' ')}`);
    return found;
  }
  log(`Snippet runtimes missing: ${missing.join(', ')}; installing Debian packages (apt-get install -y ${packages.join(' ')})...`);
  try {
    aptInstall(packages);
  } catch (error) {
    log(`apt-get failed (${error.message}); the snippets of ${missing.join(', ')} will be skipped.`);
  }
  return detect();
}
