import type { Page } from 'playwright-core';
import { openWithToken, screenshot } from './support/browser';
import { webFixture } from './support/web-fixture';
import { person } from './support/web-warden';

const fx = webFixture();

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
  const memberId = await fx.web.idOf(member);

  const memberPage = await (await fx.chrome.context()).newPage();
  const sockets: string[] = [];
  memberPage.on('websocket', (socket) => sockets.push(socket.url()));
  await openWithToken(memberPage, fx.web.origin, '/', await fx.web.token(member));
  await memberPage.getByRole('heading', { name: 'Browse items' }).waitFor();
  await memberPage.locator('[data-testid=live-status][data-phase=connected]').waitFor();
  expect(memberPage.url()).toBe(`${fx.web.origin}/`); // the token left the address bar
  await screenshot(memberPage, 'member-browse');

  const staffPage = await (await fx.chrome.context()).newPage();
  await openWithToken(staffPage, fx.web.origin, `/console/members/${memberId}`, await fx.web.token(admin));
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
  expect(memberPage.url()).toBe(`${fx.web.origin}/`); // never reloaded
});
