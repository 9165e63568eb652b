import { BLOCK_USER, blockInput } from '../api/operations';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, RawGraphQLWs, eventually } from '../support/ws-client';

let instance: TestWarden;
let metricsUrl: string;

beforeAll(async () => {
  instance = await startTestWarden({ env: { METRICS_PORT: '0', INSTANCE_ID: 'metrics-test' } });
  metricsUrl = `http://127.0.0.1:${instance.warden.metricsPort}/metrics`;
});
afterAll(() => instance.stop());

async function scrape(): Promise<string> {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one series, e.g. `warden_refusals_total{code="FORBIDDEN"}`; 0 when absent. */
function valueOf(text: string, metric: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const labelPart = line.slice(metric.length).split(' ')[0] ?? '';
    if (wanted.every((label) => labelPart.includes(label))) return Number(line.split(' ').pop());
  }
  return 0;
}

describe('GET /metrics (METRICS_PORT)', () => {
  test('is not served on the API port', async () => {
    const response = await fetch(instance.url.replace('/graphql', '/metrics'));
    expect(response.status).toBe(404);
  });

  test('names every metric warden_… and carries the instance label', async () => {
    const text = await scrape();
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !name?.startsWith('warden_'))).toEqual([]);
    for (const name of [
      'warden_websocket_connections',
      'warden_active_subscriptions',
      'warden_moderation_actions_total',
      'warden_block_termination_seconds',
      'warden_refusals_total',
      'warden_rate_limit_hits_total',
      'warden_outbox_backlog',
      'warden_outbox_oldest_age_seconds',
      'warden_mongodb_up',
      'warden_redis_up',
      'warden_http_request_duration_seconds',
      'warden_process_cpu_user_seconds_total',
    ]) {
      expect(names).toContain(name);
    }
    expect(valueOf(text, 'warden_mongodb_up', { instance: 'metrics-test' })).toBe(1);
    expect(valueOf(text, 'warden_redis_up')).toBe(1);
    expect(valueOf(text, 'warden_outbox_backlog')).toBe(0);
  });

  test('counts sockets, subscriptions, a block by source, its termination and refusals, with no user id in any label', async () => {
    const adminId = await instance.idOf('metrics-admin', true);
    const memberId = await instance.idOf('metrics-member');
    const before = await scrape();

    const { client, acked } = await RawGraphQLWs.connect(instance.url, await signToken({ sub: 'metrics-member' }));
    expect(acked).toBe(true);
    client.subscribe('s1', ACCOUNT_STATUS_SUBSCRIPTION);
    await eventually(() => instance.warden.registry.subscriptionCounts().accountStatus === 1, 5_000, 'subscription');
    const live = await scrape();
    expect(valueOf(live, 'warden_websocket_connections')).toBe(1);
    expect(valueOf(live, 'warden_active_subscriptions', { name: 'accountStatus' })).toBe(1);

    // A member calling an admin operation: FORBIDDEN, counted once, timed under its root field.
    const refused = await instance.as('metrics-member')(BLOCK_USER, { input: blockInput(adminId) });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const blocked = await instance.as('metrics-admin', true)(BLOCK_USER, { input: blockInput(memberId) });
    expect(blocked.errors).toBeUndefined();
    await client.waitClosed();

    await eventually(async () => valueOf(await scrape(), 'warden_block_termination_seconds_count') > 0, 5_000, 'histogram');
    const after = await scrape();
    const delta = (metric: string, labels: Record<string, string> = {}) =>
      valueOf(after, metric, labels) - valueOf(before, metric, labels);
    expect(delta('warden_moderation_actions_total', { action: 'block', source: 'admin' })).toBe(1);
    expect(delta('warden_refusals_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(delta('warden_block_termination_seconds_count')).toBe(1);
    expect(delta('warden_http_request_duration_seconds_count', { operation: 'blockUser' })).toBe(2);
    expect(valueOf(after, 'warden_websocket_connections')).toBe(0);
    expect(after).not.toContain(memberId);
    expect(after).not.toContain(adminId);
  });
});

describe('without METRICS_PORT', () => {
  test('no metrics endpoint is started', async () => {
    const plain = await startTestWarden();
    try {
      expect(plain.warden.metricsPort).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});
