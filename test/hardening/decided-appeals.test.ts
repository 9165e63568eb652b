import { BLOCK_USER, blockInput } from '../api/operations';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { uniqueSub } from './support';

/** Issue 12, item 7: after an approved appeal the member still reads the decision written for them. */
const APPEAL = 'mutation A($message: String!) { appealBlock(message: $message) { id } }';
const DECIDE = 'mutation D($appealId: ID!, $approve: Boolean!, $note: String!) { decideAppeal(appealId: $appealId, approve: $approve, note: $note) { id } }';
const MY_STATUS = '{ me { isBlocked accountStatus { state appeal { id state decisionNote decidedBy { id } } } } }';

let api: TestWarden;
const adminSub = uniqueSub('appeals-admin');
beforeAll(async () => {
  api = await startTestWarden();
});
afterAll(() => api.stop());

async function appealDecided(approve: boolean, note: string) {
  const sub = uniqueSub('appellant');
  const id = await api.idOf(sub);
  const admin = api.as(adminSub, true);
  expect((await admin(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_90' }) })).errors).toBeUndefined();
  const appealId = (await api.as(sub)(APPEAL, { message: 'It was not me' })).data!.appealBlock.id as string;
  expect((await admin(DECIDE, { appealId, approve, note })).errors).toBeUndefined();
  return { member: api.as(sub), appealId };
}

test('an approved appeal, which lifted the block, stays readable by its member with the decision note', async () => {
  const { member, appealId } = await appealDecided(true, 'Confirmed with the sharer');
  const status = await member(MY_STATUS);
  expect(status.errors).toBeUndefined();
  expect(status.data?.me).toEqual({
    isBlocked: false,
    // decidedBy is for admins only.
    accountStatus: { state: 'ACTIVE', appeal: { id: appealId, state: 'APPROVED', decisionNote: 'Confirmed with the sharer', decidedBy: null } },
  });
});

test('a member who never was blocked has no appeal', async () => {
  const status = await api.as(uniqueSub('never-blocked'))(MY_STATUS);
  expect(status.data?.me.accountStatus).toEqual({ state: 'ACTIVE', appeal: null });
});

test('a rejected appeal stays readable while the block holds', async () => {
  const { member, appealId } = await appealDecided(false, 'The photos show the damage');
  expect((await member(MY_STATUS)).data?.me.accountStatus).toEqual({
    state: 'BLOCKED',
    appeal: { id: appealId, state: 'REJECTED', decisionNote: 'The photos show the damage', decidedBy: null },
  });
});
