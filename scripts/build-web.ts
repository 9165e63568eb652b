import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isWebBundleFresh, ROOT, stampPath, WEB_DIST, webSourceHash } from './web-bundle';

/**
 * Builds the member app (`/`) and the moderation console (`/console/`) into dist/web and
 * prints the gzipped size of each app's JavaScript. `--if-stale` builds only when the
 * sources changed since the last build (what `npm start` runs).
 */
async function main(): Promise<void> {
  if (process.argv.includes('--if-stale') && isWebBundleFresh()) {
    console.log('web apps are up to date (dist/web)');
    return;
  }
  const hash = webSourceHash();
  // A production bundle whatever the caller's NODE_ENV (jest sets it to "test", which would
  // select React's development JSX runtime).
  process.env.NODE_ENV = 'production';
  // Vite is ESM-only.
  const { build } = await import('vite');
  const web = join(ROOT, 'web');
  await build({
    configFile: false,
    root: web,
    base: '/',
    mode: 'production',
    logLevel: 'warn',
    // Vite 8 transforms JSX itself (no @vitejs/plugin-react): React's automatic runtime.
    oxc: { jsx: { runtime: 'automatic', development: false } },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: WEB_DIST,
      emptyOutDir: true,
      manifest: true,
      chunkSizeWarningLimit: 2_000,
      rollupOptions: {
        input: { member: join(web, 'index.html'), console: join(web, 'console', 'index.html') },
        // antd marks its modules "use client" for React Server Components; meaningless here.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  });
  for (const [app, entry] of [
    ['member app (/)', 'index.html'],
    ['console (/console/)', 'console/index.html'],
  ] as const) {
    const files = javascriptOf(entry);
    const raw = files.reduce((sum, file) => sum + readFileSync(join(WEB_DIST, file)).length, 0);
    const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(WEB_DIST, file))).length, 0);
    console.log(`${app}: ${kb(gzipped)} kB of JavaScript gzipped (${kb(raw)} kB raw, ${files.length} files)`);
  }
  writeFileSync(stampPath(), hash);
}

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** Every JavaScript file an entry loads at start: its chunk and the chunks it imports. */
function javascriptOf(entry: string): string[] {
  const manifest = JSON.parse(readFileSync(join(WEB_DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...seen].filter((file) => file.endsWith('.js'));
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
