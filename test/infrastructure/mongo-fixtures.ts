import type { Connection } from 'mongoose';
import type { Page, PageRequest } from '../../domain/shared/page';
import type { DomainEvent } from '../../domain/shared/domain-event';
import type { EventPublisher } from '../../domain/ports/event-publisher';
import { createLogger } from '../../infrastructure/logging/logger';
import { connectMongo } from '../../infrastructure/mongo/connection';
import { testMongoUri } from '../support/test-env';

/** A connection to a database of its own on the run's shared server, indexes built. */
export function connectTestMongo(fileTag?: string): Promise<Connection> {
  return connectMongo(testMongoUri(fileTag), createLogger('test'));
}

/** An EventPublisher that only remembers what it was given. */
export class RecordingPublisher implements EventPublisher {
  readonly events: DomainEvent[] = [];
  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

let sequence = 0;

/** A profile with an externalId no other test uses. */
export function memberProfile(role: 'MEMBER' | 'ADMIN' = 'MEMBER') {
  sequence += 1;
  const externalId = `auth0|${process.pid}-${Date.now()}-${sequence}`;
  return { externalId, displayName: `Member ${sequence}`, email: null, role };
}

/**
 * Walks every page of a list, checking each full page and the last page's cursor; returns
 * the items and how many pages it took.
 */
export async function walkPages<T>(
  list: (page: PageRequest) => Promise<Page<T>>,
  first: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const page: Page<T> = await list({ first, after });
    items.push(...page.items);
    if (!page.hasNextPage) {
      expect(page.endCursor === null).toBe(page.items.length === 0);
      return { items, pages };
    }
    expect(page.items).toHaveLength(first);
    after = page.endCursor;
  }
}
