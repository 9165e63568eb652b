import type { Page } from 'playwright-core';
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

/** The socket state the member app shows in its status line. */
async function liveStatus(page: Page) {
  const line = page.getByTestId('live-status');
  return {
    phase: await line.getAttribute('data-phase'),
    closeCode: await line.getAttribute('data-close-code'),
    attempts: Number(await line.getAttribute('data-attempts')),
  };
}

test('an admin blocks a member from the console: the open member app shows the block screen live, its socket closed with 4403 and not reopened', async () => {
  const admin = person('admin', 'Ada Admin');
  const member = person('member', 'Bruno Borrower');
  const memberId = await web.idOf(member);

  const memberPage = await (await chrome.context()).newPage();
  const sockets: string[] = [];
  memberPage.on('websocket', (socket) => sockets.push(socket.url()));
  await openWithToken(memberPage, web.origin, '/', await web.token(member));
  await memberPage.getByRole('heading', { name: 'Browse items' }).waitFor();
  await memberPage.locator('[data-testid=live-status][data-phase=connected]').waitFor();
  expect(memberPage.url()).toBe(`${web.origin}/`); // the token left the address bar
  await screenshot(memberPage, 'member-browse');

  const staffPage = await (await chrome.context()).newPage();
  await openWithToken(staffPage, web.origin, `/console/members/${memberId}`, await web.token(admin));
  await staffPage.getByRole('heading', { name: 'Bruno Borrower' }).waitFor();
  await screenshot(staffPage, 'console-case-file');
  await staffPage.getByRole('button', { name: 'Block' }).click();
  const dialog = staffPage.getByRole('dialog');
  await dialog.getByText('This will prevent them from creating listings and making reservations').waitFor();
  const submit = dialog.getByRole('button', { name: 'Block member' });
  expect(await submit.isDisabled()).toBe(true);
  await dialog.getByRole('radio', { name: 'Late return' }).check();
  await dialog.getByRole('radio', { name: '7 days' }).check();
  await dialog.getByLabel('Message to the member').fill('Three late returns this month.');
  expect(await dialog.getByTestId('message-preview').textContent()).toBe('Three late returns this month.');
  expect(await submit.isDisabled()).toBe(false);
  await screenshot(staffPage, 'console-block-dialog');
  const socketsBefore = sockets.length;
  await submit.click();

  await memberPage.getByTestId('block-screen').waitFor({ timeout: 2_000 });
  expect(await memberPage.getByTestId('block-message').textContent()).toBe('Three late returns this month.');
  await memberPage.locator('[data-testid=live-status][data-phase=ended]').waitFor();
  const closed = await liveStatus(memberPage);
  expect(closed.closeCode).toBe('4403');
  await screenshot(memberPage, 'member-block-screen');

  await memberPage.waitForTimeout(5_000);
  expect(await liveStatus(memberPage)).toEqual(closed);
  expect(sockets).toHaveLength(socketsBefore);
  expect(memberPage.url()).toBe(`${web.origin}/`); // never reloaded
});
