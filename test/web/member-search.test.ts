import { BLOCK_USER, blockInput } from '../api/operations';
import { openWithToken, screenshot } from './support/browser';
import { webFixture } from './support/web-fixture';
import { person } from './support/web-warden';

const fx = webFixture();

test('search finds a member by name and by email; filters survive a reload', async () => {
  const admin = person('admin', 'Ada Admin');
  const wanda = person('member', 'Wanda Whitfield');
  const walter = person('member', 'Walter Whitfield');
  const [wandaId, walterId] = [await fx.web.idOf(wanda), await fx.web.idOf(walter)];
  await fx.web.idOf(person('member', 'Someone Else'));
  await fx.web.as(admin)(BLOCK_USER, { input: blockInput(walterId) });

  const page = await (await fx.chrome.context()).newPage();
  await openWithToken(page, fx.web.origin, '/console/members', await fx.web.token(admin));
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
