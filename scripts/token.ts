import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { loadConfig } from '../infrastructure/config/config';

/**
 * Development only: prints a bearer token for a local server.
 *   npm run token -- --sub alice [--admin | --moderator] [--name "Alice"] [--email a@x.io] [--ttl 3600]
 */
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    console.error('npm run token is for development only.');
    process.exit(1);
  }
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      admin: { type: 'boolean', default: false },
      moderator: { type: 'boolean', default: false },
      name: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '86400' },
    },
  });
  if (!values.sub) {
    console.error(
      'usage: npm run token -- --sub <member id> [--admin | --moderator] [--name N] [--email E] [--ttl seconds]',
    );
    process.exit(2);
  }
  const { jwt } = loadConfig();
  const builder = new SignJWT({
    ...(values.name ? { name: values.name } : {}),
    ...(values.email ? { email: values.email } : {}),
    roles: values.admin ? ['admin'] : values.moderator ? ['moderator'] : [],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(values.sub)
    .setIssuedAt()
    .setExpirationTime(`${Number(values.ttl)}s`);
  if (jwt.issuer) builder.setIssuer(jwt.issuer);
  if (jwt.audience) builder.setAudience(jwt.audience);
  console.log(await builder.sign(new TextEncoder().encode(jwt.secret)));
}

void main();
