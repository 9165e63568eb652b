import { BLOCK_USER, blockInput } from '../api/operations';
import { launchBrowser, openWithToken, screenshot, type TestBrowser } from './support/browser';
import { person, startWebWarden, type WebWarden } from './support/web-warden';

let web: WebWarden;
let chrome: TestBrowser;

beforeAll(async () => {
  web = await startWebWarden();
  chrome = await launchBrowser();
});
afterAll(async () => {
  await chrome?.close();
  await web?.stop();
});

test('search finds a member by name and by email; filters survive a reload', async () => {
  const admin = person('admin', 'Ada Admin');
  const wanda = person('member', 'Wanda Whitfield');
  const walter = person('member', 'Walter Whitfield');
  const [wandaId, walterId] = [await web.idOf(wanda), await web.idOf(walter)];
  await web.idOf(person('member', 'Someone Else'));
  await web.as(admin)(BLOCK_USER, { input: blockInput(walterId) });

  const page = await (await chrome.context()).newPage();
  await openWithToken(page, web.origin, '/console/members', await web.token(admin));
  await page.getByRole('heading', { name: 'Members' }).waitFor();
  const rows = page.locator('tbody tr.ant-table-row');
  // Submitting rewrites the URL, which re-renders the form from it: wait for that before the next step.
  const search = async (text: string) => {
    await page.getByLabel('Search').fill(text);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === text);
  };

  await search('wanda');
  await page.getByTestId('member-count').filter({ hasText: '1 member' }).waitFor();
  expect(await rows.allTextContents()).toEqual([expect.stringContaining('Wanda Whitfield')]);

  await search(wanda.email.toUpperCase());
  await page.getByTestId('member-count').filter({ hasText: '1 member' }).waitFor();
  expect(await rows.first().textContent()).toContain(wanda.email);

  // Both Whitfields by name, then only the blocked one.
  await search('whitf');
  await page.getByTestId('member-count').filter({ hasText: '2 members' }).waitFor();
  await page.getByLabel('Search').fill('w');
  await page.getByLabel('State').click();
  await page.locator('.ant-select-item-option', { hasText: 'BLOCKED' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('member-count').filter({ hasText: '1 member' }).waitFor();
  expect(await rows.allTextContents()).toEqual([expect.stringContaining('Walter Whitfield')]);
  const filtered = page.url();
  expect(filtered).toContain('state=BLOCKED');
  await screenshot(page, 'console-members');

  await page.reload();
  await page.getByTestId('member-count').filter({ hasText: '1 member' }).waitFor();
  expect(page.url()).toBe(filtered);
  expect(await page.getByLabel('Search').inputValue()).toBe('w');
  expect(await page.locator('.ant-select-selection-item', { hasText: 'BLOCKED' }).count()).toBe(1);
  expect(await rows.allTextContents()).toEqual([expect.stringContaining('Walter Whitfield')]);
  expect(wandaId).not.toBe(walterId);
});
