import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';

let production: TestWarden;
let development: TestWarden;
beforeAll(async () => {
  production = await startTestWarden({ env: { NODE_ENV: 'production' } });
  development = await startTestWarden();
});
afterAll(async () => {
  await production.stop();
  await development.stop();
});

const INTROSPECTION = '{ __schema { types { name } } }';
const TYPO = '{ me { displayNam } }';

describe('HTTP', () => {
  test('introspection is off in production, on in development', async () => {
    const refused = await production.as('a')(INTROSPECTION);
    expect(refused.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await development.as('a')(INTROSPECTION)).data?.__schema.types.length).toBeGreaterThan(10);
  });

  test('field suggestions are hidden in production', async () => {
    const hidden = await production.as('a')(TYPO);
    expect(hidden.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect((await development.as('a')(TYPO)).errors?.[0]?.message).toMatch(/Did you mean "displayName"/);
  });
});

describe('WebSocket', () => {
  async function firstError(api: TestWarden, query: string) {
    const { client } = await RawGraphQLWs.connect(api.url, await signToken({ sub: 'ws' }));
    client.subscribe('q', query);
    const message = await client.next((candidate) => candidate.id === 'q' && candidate.type !== 'complete');
    client.close();
    return message.type === 'error' ? message.payload[0] : message.payload.errors?.[0];
  }

  test('introspection is off in production', async () => {
    expect((await firstError(production, INTROSPECTION)).extensions.code).toBe('BAD_USER_INPUT');
  });

  test('field suggestions are hidden in production', async () => {
    expect((await firstError(production, TYPO)).message).not.toMatch(/Did you mean/);
    expect((await firstError(development, TYPO)).message).toMatch(/Did you mean/);
  });
});

test('a WebSocket handshake from an origin outside the allow-list is refused', async () => {
  const guarded = await startTestWarden({ env: { ALLOWED_ORIGINS: 'https://app.example' } });
  try {
    await expect(RawGraphQLWs.open(guarded.url, { origin: 'https://evil.example' })).rejects.toThrow(/handshake refused: 401/);
    const allowed = await RawGraphQLWs.open(guarded.url, { origin: 'https://app.example' });
    expect(allowed.isOpen).toBe(true);
    allowed.close();
  } finally {
    await guarded.stop();
  }
});
