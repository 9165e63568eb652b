import { BLOCK_USER, blockInput } from '../api/operations';
import { openWithToken, screenshot } from './support/browser';
import { webFixture } from './support/web-fixture';
import { person } from './support/web-warden';

const fx = webFixture();

async function openPage(path: string, token: string) {
  const page = await (await fx.chrome.context()).newPage();
  await openWithToken(page, fx.web.origin, path, token);
  // Marks this document: still there later means the app never reloaded.
  await page.evaluate('window.__sameDocument = true');
  return page;
}

test('a moderator restricts messaging: the compose box turns aria-disabled with the reason, creating a listing still works, lifting enables it again, live', async () => {
  const moderator = person('moderator', 'Mo Moderator');
  const member = person('member', 'Rita Restricted');
  const friend = person('member', 'Frank Friend');
  const [memberId, friendId] = [await fx.web.idOf(member), await fx.web.idOf(friend)];

  const memberPage = await openPage(`/conversations?to=${friendId}`, await fx.web.token(member));
  const compose = memberPage.getByTestId('compose');
  await compose.waitFor();
  expect(await compose.getAttribute('aria-disabled')).toBeNull();

  const staffPage = await openPage(`/console/members/${memberId}`, await fx.web.token(moderator));
  await staffPage.getByRole('button', { name: 'Restrict' }).click();
  const dialog = staffPage.getByRole('dialog');
  await dialog.getByRole('checkbox', { name: 'Send messages' }).check();
  await dialog.getByRole('radio', { name: 'Inappropriate behaviour' }).check();
  await dialog.getByRole('radio', { name: '7 days' }).check();
  await dialog.getByLabel('Message to the member').fill('Please keep it civil for a week.');
  await screenshot(staffPage, 'console-restrict-dialog');
  await dialog.getByRole('button', { name: 'Restrict' }).click();
  await staffPage.getByTestId('restriction').waitFor();

  await memberPage.locator('[data-testid=compose][aria-disabled=true]').waitFor();
  const reasonId = await compose.getAttribute('aria-describedby');
  const reason = memberPage.locator(`[id="${reasonId}"]`);
  expect(await reason.textContent()).toContain('Please keep it civil for a week.');
  expect(await memberPage.getByTestId('standing-banner').textContent()).toContain('Restricted on your account: Send messages');
  await screenshot(memberPage, 'member-compose-restricted');

  // Creating a listing is not restricted.
  await memberPage.getByRole('link', { name: 'Share an item' }).click();
  await memberPage.getByLabel('Title').fill('Camping stove');
  await memberPage.getByLabel('Description').fill('Two burners');
  await memberPage.getByLabel('Category').fill('camping');
  await memberPage.getByLabel('Location').fill('Namur');
  expect(await memberPage.getByRole('button', { name: 'Publish' }).getAttribute('aria-disabled')).toBeNull();
  await memberPage.getByRole('button', { name: 'Publish' }).click();
  await memberPage.getByRole('heading', { name: 'Camping stove' }).waitFor();

  // Back (in history, same document) to the compose box for the friend.
  while (!memberPage.url().includes('?to=')) await memberPage.goBack();
  await memberPage.locator('[data-testid=compose][aria-disabled=true]').waitFor();

  await staffPage.getByRole('button', { name: 'Lift restriction' }).click();
  const lift = staffPage.getByRole('dialog');
  await lift.getByText('Please keep it civil for a week.').waitFor();
  await lift.getByLabel('Why lift it?').fill('Apologised to the other member.');
  await lift.getByRole('button', { name: 'Lift' }).click();

  await memberPage.locator('[data-testid=compose]:not([aria-disabled])').waitFor();
  await compose.fill('Sorry about earlier.');
  await memberPage.getByRole('button', { name: 'Send' }).click();
  await memberPage.getByText('Sorry about earlier.').last().waitFor();
  expect(await memberPage.evaluate('window.__sameDocument')).toBe(true);
});

test('a blocked member appeals; the appeal appears live in the console; the admin approves; the member app returns to normal without reload', async () => {
  const admin = person('admin', 'Ada Admin');
  const member = person('member', 'Alex Appellant');
  const memberId = await fx.web.idOf(member);
  await fx.web.as(admin)(BLOCK_USER, { input: blockInput(memberId, { userMessage: 'Damaged the tent.', reason: 'ITEM_DAMAGE' }) });

  const staffPage = await openPage('/console/appeals', await fx.web.token(admin));
  await staffPage.getByRole('heading', { name: 'Appeals' }).waitFor();
  await staffPage.locator('[data-testid=live-status][data-phase=connected]').waitFor();

  const memberPage = await openPage('/', await fx.web.token(member));
  await memberPage.getByTestId('block-screen').waitFor();
  expect(await memberPage.getByTestId('block-message').textContent()).toBe('Damaged the tent.');
  await memberPage.getByLabel('Why should the block be lifted?').fill('The tent was torn before I borrowed it; I have photos.');
  await memberPage.getByRole('button', { name: 'Send appeal' }).click();
  await memberPage.getByTestId('appeal-state').waitFor();

  const card = staffPage.getByTestId('appeal-card').filter({ hasText: 'Alex Appellant' });
  await card.getByText('The tent was torn before I borrowed it; I have photos.').waitFor();
  await screenshot(staffPage, 'console-appeals');
  await card.getByLabel('Note to the member').fill('Photos confirm it. Sorry for the trouble.');
  await card.getByRole('button', { name: 'Approve and lift the block' }).click();

  await memberPage.getByRole('heading', { name: 'Browse items' }).waitFor();
  expect(await memberPage.getByTestId('block-screen').count()).toBe(0);
  expect(await memberPage.evaluate('window.__sameDocument')).toBe(true);
  await memberPage.locator('[data-testid=live-status][data-phase=connected]').waitFor();
});

test('a moderator is offered no INDEFINITE or 90-day block and no appeal decision; a forged request is FORBIDDEN', async () => {
  const moderator = person('moderator', 'Mona Moderator');
  const member = person('member', 'Max Member');
  const memberId = await fx.web.idOf(member);
  const staffPage = await openPage(`/console/members/${memberId}`, await fx.web.token(moderator));
  await staffPage.getByRole('button', { name: 'Block' }).click();
  const dialog = staffPage.getByRole('dialog');
  await dialog.getByRole('radio', { name: '7 days' }).waitFor();
  const durations = await dialog.getByRole('radiogroup', { name: 'Duration' }).getByRole('radio').evaluateAll((radios) =>
    radios.map((radio) => radio.parentElement?.parentElement?.textContent ?? ''),
  );
  expect(durations).toEqual(['7 days', '30 days']);

  // The request the console would never send, sent with the moderator's own token.
  const forged = (await staffPage.evaluate(`fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('warden.token') },
      body: JSON.stringify({
        query: 'mutation($input: BlockUserInput!) { blockUser(input: $input) { id } }',
        variables: { input: { userId: '${memberId}', reason: 'OTHER', duration: 'INDEFINITE', userMessage: 'forged' } },
      }),
    }).then((response) => response.json())`)) as { errors?: { extensions: { code: string } }[] };
  expect(forged.errors?.[0]?.extensions.code).toBe('FORBIDDEN');

  await fx.web.as(person('admin', 'Ada Admin'))(BLOCK_USER, { input: blockInput(memberId) });
  await fx.web.as(member)(`mutation { appealBlock(message: "Please reconsider") { id } }`);
  await staffPage.goto(`${fx.web.origin}/console/appeals`);
  const card = staffPage.getByTestId('appeal-card').filter({ hasText: 'Max Member' });
  await card.getByText('Appeals are decided by an admin.').waitFor();
  expect(await card.getByRole('button', { name: 'Approve and lift the block' }).count()).toBe(0);
});
