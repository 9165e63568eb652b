import { readFileSync } from 'node:fs';
import { BLOCK_USER, SEND_MESSAGE, blockInput } from '../api/operations';
import { openWithToken, screenshot } from './support/browser';
import { webFixture } from './support/web-fixture';
import { person } from './support/web-warden';

const fx = webFixture();

test('the moderation log filtered by type receives a new entry live and exports the filtered log as CSV', async () => {
  const admin = person('admin', 'Ada Admin');
  const target = person('member', 'Lou Logged');
  const targetId = await fx.web.idOf(target);
  const page = await (await fx.chrome.context()).newPage();
  await openWithToken(page, fx.web.origin, '/console/log?type=USER_BLOCKED', await fx.web.token(admin));
  await page.getByRole('heading', { name: 'Moderation log' }).waitFor();
  await page.locator('[data-testid=live-status][data-phase=connected]').waitFor();

  await fx.web.as(admin)(BLOCK_USER, { input: blockInput(targetId, { adminNote: '=HYPERLINK("http://evil")' }) });
  const row = page.locator('tbody tr').filter({ hasText: 'Lou Logged' });
  await row.waitFor();
  expect(await row.textContent()).toContain('Blocked');
  await screenshot(page, 'console-moderation-log');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  const [header, ...lines] = csv.trim().split('\r\n');
  expect(header).toBe('at,type,actorId,actor,targetId,target,reason,instance,correlationId,details');
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((line) => line.includes(',USER_BLOCKED,'))).toBe(true);
  const entry = lines.find((line) => line.includes(targetId))!;
  expect(entry).toContain('Lou Logged');
  // The note travels inside the details JSON cell, quoted: a spreadsheet does not evaluate it.
  expect(entry).toMatch(/,"\{.*HYPERLINK.*\}"$/);
});

test('messages arrive live in the open conversation', async () => {
  const alice = person('member', 'Alice Asker');
  const bob = person('member', 'Bob Lender');
  const bobId = await fx.web.idOf(bob);
  const first = await fx.web.as(alice)(SEND_MESSAGE, { input: { recipientId: bobId, text: 'Is the drill free on Sunday?' } });
  const conversationId = first.data!.sendMessage.conversationId as string;

  const page = await (await fx.chrome.context()).newPage();
  await openWithToken(page, fx.web.origin, `/conversations/${conversationId}`, await fx.web.token(bob));
  await page.getByText('Is the drill free on Sunday?').waitFor();
  await page.locator('[data-testid=live-status][data-phase=connected]').waitFor();
  await fx.web.as(alice)(SEND_MESSAGE, { input: { recipientId: bobId, text: 'I can pick it up at ten.' } });
  await page.getByTestId('thread').getByText('I can pick it up at ten.').waitFor();
  await screenshot(page, 'member-conversation-live');
});
