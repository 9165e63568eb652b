import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../../infrastructure/config/config';

describe('loadConfig', () => {
  test('production without JWT_SECRET refuses to start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: '  ' })).toThrow(/JWT_SECRET/);
  });

  test('development without JWT_SECRET uses the announced dev secret', () => {
    const config = loadConfig({});
    expect(config.jwt).toMatchObject({ secret: DEV_JWT_SECRET, usesDevSecret: true });
    expect(config.port).toBe(4000);
  });

  test('contract variables are read', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 's3cret',
      JWT_ISSUER: 'iss',
      JWT_AUDIENCE: 'aud',
      PORT: '4100',
      INSTANCE_ID: 'api-7',
      MONGODB_URI: 'mongodb://db/warden',
      REDIS_URL: 'redis://cache',
    });
    expect(config).toMatchObject({
      production: true,
      port: 4100,
      instanceId: 'api-7',
      mongodbUri: 'mongodb://db/warden',
      redisUrl: 'redis://cache',
      jwt: { secret: 's3cret', issuer: 'iss', audience: 'aud', usesDevSecret: false },
    });
  });

  test('a fragmented heap is compacted unless COMPACT_FRAGMENTED_HEAP says not', () => {
    expect(loadConfig({}).compactFragmentedHeap).toBe(true);
    expect(loadConfig({ COMPACT_FRAGMENTED_HEAP: 'false' }).compactFragmentedHeap).toBe(false);
    expect(loadConfig({ COMPACT_FRAGMENTED_HEAP: '0' }).compactFragmentedHeap).toBe(false);
    expect(loadConfig({ COMPACT_FRAGMENTED_HEAP: 'TRUE' }).compactFragmentedHeap).toBe(true);
  });

  test.each([['PORT', 'abc'], ['PORT', '70000'], ['SESSION_SWEEP_INTERVAL_MS', '5'], ['COMPACT_FRAGMENTED_HEAP', 'maybe']])('a bad %s=%s is refused', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });
});
