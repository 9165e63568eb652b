import type { Connection } from 'mongoose';
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
  return { externalId: `auth0|${process.pid}-${Date.now()}-${sequence}`, displayName: `Member ${sequence}`, email: null, role };
}
