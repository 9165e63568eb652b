import { launchBrowser, type TestBrowser } from './browser';
import { startWebWarden, type WebWarden } from './web-warden';

export interface WebFixture {
  /** A Warden serving both web apps, on the run's Redis and MongoDB. */
  readonly web: WebWarden;
  readonly chrome: TestBrowser;
}

/**
 * Starts a Warden and a Chromium before the tests of the file (or `describe` block) that
 * calls it and stops both after them; read them from the returned fixture inside tests.
 */
export function webFixture(): WebFixture {
  const fixture = {} as { web: WebWarden; chrome: TestBrowser };
  beforeAll(async () => {
    fixture.web = await startWebWarden();
    fixture.chrome = await launchBrowser();
  });
  afterAll(async () => {
    await fixture.chrome?.close();
    await fixture.web?.stop();
  });
  return fixture;
}
