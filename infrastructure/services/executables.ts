import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Absolute path of the executable `name` in one of `dirs` (default: PATH), or undefined. */
export function findExecutable(name: string, dirs: readonly string[] = pathDirs()): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Where `go install` puts binaries: `$(go env GOPATH)/bin` (first entry), then ~/go/bin. */
export function goBinDirs(): string[] {
  const dirs: string[] = [];
  const go = findExecutable('go');
  if (go) {
    try {
      const gopath = execFileSync(go, ['env', 'GOPATH'], { encoding: 'utf8', timeout: 5_000 });
      const first = gopath.trim().split(delimiter)[0];
      if (first) dirs.push(join(first, 'bin'));
    } catch {
      // A broken Go install only costs us this lookup; ~/go/bin is still tried.
    }
  }
  dirs.push(join(homedir(), 'go', 'bin'));
  return [...new Set(dirs)];
}

function pathDirs(): string[] {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
