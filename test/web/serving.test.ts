import { webFixture } from './support/web-fixture';
import { startWebWarden, type WebWarden } from './support/web-warden';

describe('development', () => {
  const fx = webFixture();

  test('serves the member app at / and the console at /console/ (their routes too), assets cached for good', async () => {
    const member = await fetch(`${fx.web.origin}/listings/some-id`);
    expect(member.status).toBe(200);
    expect(member.headers.get('content-security-policy')).toContain("script-src 'self'");
    const memberHtml = await member.text();
    expect(memberHtml).toContain('<title>ShareThrift</title>');
    const console_ = await fetch(`${fx.web.origin}/console/members?q=x`);
    expect(await console_.text()).toContain('<title>Warden moderation console</title>');
    const bare = await fetch(`${fx.web.origin}/console`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/console/']);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(memberHtml)![1]!;
    const asset = await fetch(`${fx.web.origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${fx.web.origin}/healthz`)).status).toBe(200);
  });

  test('the dev sign-in offers member, moderator and admin and opens the app signed in, the token gone from the address bar', async () => {
    const page = await (await fx.chrome.context()).newPage();
    await page.goto(`${fx.web.origin}/dev/sign-in`);
    for (const label of ['Mia Member (member)', 'Mo Moderator (moderator)', 'Ada Admin (admin)']) {
      await page.getByRole('button', { name: `Sign in as ${label}` }).waitFor();
    }
    await page.getByRole('button', { name: 'Sign in as Mo Moderator (moderator)' }).click();
    await page.getByTestId('viewer').filter({ hasText: 'Mo Moderator (moderator)' }).waitFor();
    expect(page.url()).toBe(`${fx.web.origin}/console/`);
    expect(await page.evaluate("sessionStorage.getItem('warden.token')")).toMatch(/^ey/);
    const refused = await fetch(`${fx.web.origin}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'identity=root',
      redirect: 'manual',
    });
    expect(refused.status).toBe(400);
  });
});

describe('production (NODE_ENV=production)', () => {
  let web: WebWarden;
  beforeAll(async () => {
    web = await startWebWarden({ NODE_ENV: 'production' });
  });
  afterAll(() => web?.stop());

  test('neither the dev sign-in page nor its endpoint exists; the apps are served', async () => {
    const page = await fetch(`${web.origin}/dev/sign-in`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('Development sign-in');
    const mint = await fetch(`${web.origin}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'identity=admin&app=console',
      redirect: 'manual',
    });
    expect(mint.status).toBe(404);
    expect(mint.headers.get('location')).toBeNull();
    expect((await fetch(`${web.origin}/`)).status).toBe(200);
    expect((await fetch(`${web.origin}/console/`)).status).toBe(200);
  });
});
