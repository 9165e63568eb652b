import { ConfigError, loadConfig } from '../../infrastructure/config/config';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_BASE_MS } from '../../infrastructure/config/limits';
import { backoffMs } from '../../infrastructure/webhooks/webhook-dispatcher';

describe('METRICS_PORT and webhook variables', () => {
  test('unset: no metrics endpoint and no webhooks', () => {
    const config = loadConfig({});
    expect(config.metricsPort).toBeNull();
    expect(config.webhook).toBeNull();
  });

  test('set: the port, and the webhook with its defaults', () => {
    const config = loadConfig({ METRICS_PORT: '9464', WEBHOOK_URL: 'https://hooks.example.org/warden', WEBHOOK_SECRET: 's3cret' });
    expect(config.metricsPort).toBe(9464);
    expect(config.webhook).toEqual({
      url: 'https://hooks.example.org/warden',
      secret: 's3cret',
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: WEBHOOK_RETRY_BASE_MS,
    });
  });

  test.each([
    ['a URL without a secret', { WEBHOOK_URL: 'https://hooks.example.org' }],
    ['a secret without a URL', { WEBHOOK_SECRET: 's3cret' }],
    ['a URL that is not http(s)', { WEBHOOK_URL: 'ftp://hooks.example.org', WEBHOOK_SECRET: 's' }],
    ['a URL that is not a URL', { WEBHOOK_URL: 'hooks', WEBHOOK_SECRET: 's' }],
    ['zero tries', { WEBHOOK_URL: 'http://127.0.0.1:1', WEBHOOK_SECRET: 's', WEBHOOK_MAX_ATTEMPTS: '0' }],
    ['a port out of range', { METRICS_PORT: '70000' }],
  ])('%s is refused at start', (_name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});

describe('webhook backoff', () => {
  test('doubles from the base, capped, with half of it random', () => {
    for (let attempt = 1; attempt <= 25; attempt++) {
      const full = Math.min(900_000, 1_000 * 2 ** (attempt - 1));
      for (let sample = 0; sample < 20; sample++) {
        const delay = backoffMs(attempt, 1_000);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
        expect(delay).toBeLessThanOrEqual(full);
      }
    }
  });

  test('the default tries span more than an hour before a delivery is dead-lettered', () => {
    let least = 0;
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) least += Math.min(900_000, WEBHOOK_RETRY_BASE_MS * 2 ** (attempt - 1)) / 2;
    expect(least).toBeGreaterThan(3_600_000);
  });
});
