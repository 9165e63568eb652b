import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { MAX_REQUEST_BYTES } from '../../infrastructure/config/limits';
import { ErrorCode } from '../errors/error-code';
import { corsPolicy } from './cors-policy';
import { serveWebApps } from './web-apps';

export interface HealthProbes {
  instanceId: string;
  /** Resolves to the dependencies that are down; empty when ready. */
  unavailable(): Promise<string[]>;
}

export interface WebOptions {
  /** dist/web, where `npm run build` put the apps; absent: no apps served. */
  distDir?: string;
  /** The development sign-in (api/http/dev-sign-in.ts); absent in production. */
  devSignIn?: RequestHandler;
}

/**
 * Express app with the probes, `/graphql` and the web apps. Body errors (bad JSON, too
 * large) answer in GraphQL's error shape with a contract code, never as an HTML page.
 */
export function createHttpApp(
  graphql: RequestHandler,
  probes: HealthProbes,
  options: WebOptions & { allowedOrigins?: readonly string[] } = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', instance: probes.instanceId });
  });
  app.get('/readyz', async (_req, res) => {
    const down = await probes.unavailable();
    res.status(down.length === 0 ? 200 : 503).json({ ready: down.length === 0, unavailable: down });
  });
  const cors = corsPolicy(options.allowedOrigins ?? []);
  if (cors) app.use('/graphql', cors);
  app.use('/graphql', express.json({ limit: MAX_REQUEST_BYTES, strict: false }), graphql);
  if (options.devSignIn) app.use(options.devSignIn);
  if (options.distDir) serveWebApps(app, options.distDir);
  app.use(bodyErrorHandler);
  return app;
}

const bodyErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message = status === 413 ? `Request body exceeds ${MAX_REQUEST_BYTES} bytes` : 'Malformed request body';
  res.status(status).json({
    errors: [{ message, extensions: { code: status < 500 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR } }],
  });
};
