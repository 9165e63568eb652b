import type { Page } from 'playwright-core';
import { BLOCK_USER, CREATE_LISTING, REQUEST_RESERVATION, SEND_MESSAGE, blockInput, futurePeriod } from '../api/operations';
import { seriousViolations } from './support/axe';
import { launchBrowser, openWithToken, screenshot, type TestBrowser } from './support/browser';
import { person, startWebWarden, type WebWarden } from './support/web-warden';

// axe-core audits a whole page each time: slow on a loaded machine.
jest.setTimeout(240_000);

let web: WebWarden;
let chrome: TestBrowser;
const admin = person('admin', 'Ada Admin');
const sharer = person('member', 'Sam Sharer');
const borrower = person('member', 'Bea Borrower');
const blocked = person('member', 'Cody Blocked');
let listingId: string;
let conversationId: string;
let blockedId: string;

beforeAll(async () => {
  web = await startWebWarden();
  chrome = await launchBrowser();
  const borrowerId = await web.idOf(borrower);
  await web.idOf(sharer);
  blockedId = await web.idOf(blocked);
  const listing = await web.as(sharer)(CREATE_LISTING, {
    input: { title: 'Pressure washer', description: 'Good for terraces', category: 'garden', location: 'Ghent' },
  });
  listingId = listing.data!.createItemListing.id;
  await web.as(borrower)(REQUEST_RESERVATION, { input: { listingId, ...futurePeriod() } });
  const message = await web.as(sharer)(SEND_MESSAGE, { input: { recipientId: borrowerId, text: 'Pick it up on Saturday?' } });
  conversationId = message.data!.sendMessage.conversationId;
  await web.as(admin)(BLOCK_USER, { input: blockInput(blockedId) });
  await web.as(blocked)(`mutation { appealBlock(message: "I returned everything on time.") { id } }`);
});
afterAll(async () => {
  await chrome?.close();
  await web?.stop();
});

/** Opens one page as `who`, waits for `ready`, saves a screenshot and returns axe's serious findings. */
async function audit(page: Page, name: string, path: string, token: string | null, ready: (page: Page) => Promise<unknown>) {
  if (token) await openWithToken(page, web.origin, path, token);
  else await page.goto(`${web.origin}${path}`);
  const started = Date.now();
  await ready(page);
  await screenshot(page, name);
  const found = await seriousViolations(page);
  console.log(`${name}: ${Date.now() - started} ms, ${found.length} serious ${found.join(' | ')}`);
  return found;
}

const heading = (name: string) => (page: Page) => page.getByRole('heading', { name }).first().waitFor();

test('member app pages: no serious or critical axe violation', async () => {
  const page = await (await chrome.context({ bypassCSP: true })).newPage();
  const token = await web.token(sharer);
  const pages: [string, string, (page: Page) => Promise<unknown>][] = [
    ['member-browse', '/', (p) => p.getByRole('link', { name: 'Pressure washer' }).waitFor()],
    ['member-listing', `/listings/${listingId}`, heading('Pressure washer')],
    ['member-create-listing', '/listings/new', heading('Share an item')],
    ['member-my-reservations', '/reservations', heading('My reservations')],
    ['member-requests', '/requests', (p) => p.getByRole('button', { name: 'Accept' }).waitFor()],
    ['member-conversation', `/conversations/${conversationId}`, (p) => p.getByText('Pick it up on Saturday?').waitFor()],
    ['member-account', '/account', heading('History')],
  ];
  const findings: Record<string, string[]> = {};
  for (const [name, path, ready] of pages) findings[name] = await audit(page, name, path, token, ready);
  const borrowerPage = await (await chrome.context({ bypassCSP: true })).newPage();
  findings['member-listing-as-borrower'] = await audit(borrowerPage, 'member-listing-reserve', `/listings/${listingId}`, await web.token(borrower), heading('Request a reservation'));
  const blockedPage = await (await chrome.context({ bypassCSP: true })).newPage();
  findings['member-block-screen'] = await audit(blockedPage, 'member-block-screen-appealed', '/', await web.token(blocked), (p) => p.getByTestId('appeal-state').waitFor());
  const anonymous = await (await chrome.context({ bypassCSP: true })).newPage();
  findings['sign-in-needed'] = await audit(anonymous, 'member-sign-in-needed', '/', null, heading('Please sign in'));
  findings['dev-sign-in'] = await audit(anonymous, 'dev-sign-in', '/dev/sign-in', null, heading('Development sign-in'));
  expect(findings).toEqual(Object.fromEntries(Object.keys(findings).map((name) => [name, []])));
});

test('console pages and dialogs: no serious or critical axe violation', async () => {
  const page = await (await chrome.context({ bypassCSP: true })).newPage();
  const token = await web.token(admin);
  const pages: [string, string, (page: Page) => Promise<unknown>][] = [
    ['console-overview', '/console/', (p) => p.getByTestId('actions-chart').waitFor()],
    ['console-members-all', '/console/members', (p) => p.getByTestId('member-count').filter({ hasText: 'member' }).waitFor()],
    ['console-case-file-blocked', `/console/members/${blockedId}`, heading('Block in force')],
    ['console-log', '/console/log', (p) => p.getByText('Appeal filed').first().waitFor()],
    ['console-appeals-queue', '/console/appeals', (p) => p.getByTestId('appeal-card').first().waitFor()],
  ];
  const findings: Record<string, string[]> = {};
  for (const [name, path, ready] of pages) findings[name] = await audit(page, name, path, token, ready);

  await page.goto(`${web.origin}/console/members/${await web.idOf(borrower)}`);
  await page.getByRole('button', { name: 'Block' }).click();
  await page.getByRole('dialog').getByText('What the member will see').waitFor();
  await screenshot(page, 'console-block-dialog-empty');
  findings['console-block-dialog'] = await seriousViolations(page);
  await page.getByRole('dialog').getByLabel('Message to the member').fill('x');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.locator('.ant-modal-confirm-title', { hasText: 'Discard your changes?' }).waitFor();
  await screenshot(page, 'console-block-dialog-discard');
  findings['console-discard-confirm'] = await seriousViolations(page);
  expect(findings).toEqual(Object.fromEntries(Object.keys(findings).map((name) => [name, []])));
});
