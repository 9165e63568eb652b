import { execFileSync } from 'node:child_process';
import { SignJWT } from 'jose';
import { startWarden, type Warden } from '../../../api/start-warden';
import { loadConfig } from '../../../infrastructure/config/config';
import { createLogger } from '../../../infrastructure/logging/logger';
import { isWebBundleFresh, ROOT, WEB_DIST } from '../../../scripts/web-bundle';
import { postGraphQL, type GraphQLResponse } from '../../support/graphql-http';
import { testMongoUri, testRedisPrefix, testRedisUrl } from '../../support/test-env';
import { TEST_JWT_SECRET } from '../../support/tokens';

export interface Person {
  sub: string;
  name: string;
  email: string;
  role: 'member' | 'moderator' | 'admin';
}

export interface WebWarden {
  warden: Warden;
  /** http://127.0.0.1:<port> */
  origin: string;
  token(person: Person): Promise<string>;
  /** Runs an operation over HTTP as `person`. */
  as(person: Person): (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
  /** The person's member id, provisioning them. */
  idOf(person: Person): Promise<string>;
  stop(): Promise<void>;
}

/** Builds the web apps unless dist/web is already built from the current sources. */
export function ensureWebBundle(): void {
  if (isWebBundleFresh()) return;
  execFileSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/build-web.ts'], { cwd: ROOT, stdio: 'inherit' });
}

/** A real Warden serving the built apps, on the run's Redis and this file's own database. */
export async function startWebWarden(env: Record<string, string> = {}): Promise<WebWarden> {
  ensureWebBundle();
  const config = loadConfig({ PORT: '0', JWT_SECRET: TEST_JWT_SECRET, INSTANCE_ID: 'web-test', ...env });
  const warden = await startWarden({
    config,
    mongoUri: testMongoUri(),
    redisUrl: testRedisUrl(),
    redisPrefix: testRedisPrefix(),
    webDistDir: WEB_DIST,
    log: createLogger('web-test'),
  });
  const token = (person: Person) => signPersonToken(person);
  const as: WebWarden['as'] = (person) => async (query, variables) =>
    postGraphQL(warden.url, query, variables, await token(person));
  return {
    warden,
    origin: `http://127.0.0.1:${warden.port}`,
    token,
    as,
    async idOf(person) {
      const response = await as(person)('{ me { id } }');
      if (!response.data?.me?.id) throw new Error(`cannot provision ${person.sub}: ${JSON.stringify(response)}`);
      return response.data.me.id as string;
    },
    stop: () => warden.stop(),
  };
}

let counter = 0;
const run = Date.now().toString(36);

/** A new person, unique in this run. */
export function person(role: Person['role'], name: string): Person {
  const slug = `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-${run}-${++counter}`;
  return { sub: `web|${slug}`, name, email: `${slug}@example.org`, role };
}

async function signPersonToken(person: Person): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: person.name, email: person.email, roles: person.role === 'member' ? [] : [person.role] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(person.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}
