import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type Response } from 'express';

/**
 * Headers for the apps' pages. antd writes its styles at run time (CSS-in-JS), hence
 * inline styles; scripts only from this origin; sockets to this origin's /graphql.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/**
 * Serves the built apps (dist/web, from `npm run build`) on the API's origin: the console
 * at `/console/` and the member app at `/`. Every other path under them is the app's own
 * route, answered with its page. Without a build, the pages say how to make one.
 */
export function serveWebApps(app: Express, distDir: string): void {
  app.use('/assets', express.static(join(distDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  const page = (file: string) => (_req: unknown, res: Response) => {
    const path = join(distDir, file);
    if (!existsSync(path)) {
      res.status(503).type('text/plain').send('The web apps are not built: run `npm run build` (npm start does it).');
      return;
    }
    res.set(PAGE_HEADERS).sendFile(path);
  };
  // Express matches '/console/' here too (non-strict routing): only the bare path moves.
  app.get('/console', (req, res, next) => (req.path === '/console' ? res.redirect(308, '/console/') : next()));
  app.get('/console/{*route}', page('console/index.html'));
  // /dev/ belongs to development tools (the sign-in): absent ones must answer 404, not the app.
  const memberApp = page('index.html');
  app.get('/{*route}', (req, res, next) => (/^\/dev(\/|$)/.test(req.path) ? next() : memberApp(req, res)));
}
