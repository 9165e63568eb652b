import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';

const CONSOLE = 'https://console.example.org';
const OTHER = 'https://evil.example.net';

let api: TestWarden;
let token: string;

beforeAll(async () => {
  api = await startTestWarden({ env: { ALLOWED_ORIGINS: `${CONSOLE}, https://second.example.org` } });
  token = await signToken({ sub: 'cors-member' });
});
afterAll(() => api.stop());

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

const post = (url: string, origin: string) =>
  fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });

describe('with ALLOWED_ORIGINS', () => {
  test('a preflight from an allowed origin is answered with that origin, the methods and the headers', async () => {
    const response = await preflight(api.url, CONSOLE);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  test('a request from an allowed origin gets its answer with CORS headers', async () => {
    const response = await post(api.url, CONSOLE);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-expose-headers')).toContain('x-correlation-id');
    expect(((await response.json()) as { data: { me: { id: string } } }).data.me.id).toEqual(expect.any(String));
  });

  test('another origin gets no CORS headers, so a browser keeps the answer from it', async () => {
    const pre = await preflight(api.url, OTHER);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const response = await post(api.url, OTHER);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('the WebSocket Origin check uses the same list', async () => {
    const allowed = await RawGraphQLWs.open(api.url, { origin: 'https://second.example.org' });
    allowed.terminate();
    await expect(RawGraphQLWs.open(api.url, { origin: OTHER })).rejects.toThrow(/handshake refused: 401/);
    const response = await post(api.url, 'https://second.example.org');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://second.example.org');
  });
});

test('without ALLOWED_ORIGINS no CORS headers are sent', async () => {
  const plain = await startTestWarden();
  try {
    const response = await post(plain.url, CONSOLE);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(plain.url, CONSOLE)).headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await plain.stop();
  }
});
