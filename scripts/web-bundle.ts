import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(__dirname, '..');
/** Where `npm run build` puts both apps; Warden serves it (api/http/web-apps.ts). */
export const WEB_DIST = join(ROOT, 'dist', 'web');
/** Written last by a build: the hash of the sources it was built from. */
const STAMP = join(WEB_DIST, '.source-hash');

/** What the bundle is built from: the apps, the shared close codes, dependencies. */
const SOURCES = ['web', 'infrastructure/sessions/close-codes.ts', 'package-lock.json', 'scripts/build-web.ts'];

/** A hash of every source file's path and content (cheap: a few hundred small files). */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap((source) => filesUnder(join(ROOT, source))).sort()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/web was built from the sources as they are now. */
export function isWebBundleFresh(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === webSourceHash();
}

export function stampPath(): string {
  return STAMP;
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : filesUnder(join(path, entry.name)),
  );
}
