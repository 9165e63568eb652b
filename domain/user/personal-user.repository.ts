import type { PersonalUser } from './personal-user.aggregate';
import type { Role } from './role';
import type { UserEvent } from './user.events';

export interface ProvisionProfile {
  externalId: string;
  displayName: string | null;
  email: string | null;
  role: Role;
}

/** Port to the store of members. MongoDB implements it in infrastructure/. */
export interface PersonalUserRepository {
  findById(id: string): Promise<PersonalUser | null>;
  findManyByIds(ids: readonly string[]): Promise<PersonalUser[]>;
  /**
   * Returns the member with this externalId, creating it on first sight. Idempotent under
   * concurrent calls; profile and role are refreshed when they changed.
   */
  provision(profile: ProvisionProfile): Promise<PersonalUser>;
  /**
   * Writes the aggregate's state, its new history entries and its new events (the outbox)
   * in one single-document update, only if nobody saved it since it was read; else throws
   * ConcurrencyError.
   */
  save(user: PersonalUser): Promise<void>;
  /** Removes published events from the outbox. */
  markEventsPublished(userId: string, eventIds: readonly string[]): Promise<void>;
  /** Events saved but not yet published, oldest first (crash between save and publish). */
  findUnpublishedEvents(limit: number): Promise<UserEvent[]>;
  /**
   * Members whose block, restrictions or history were saved at or after `since` (by the
   * saving instance's clock): the session sweep's one query.
   */
  findStandingChangedSince(since: Date): Promise<PersonalUser[]>;
  /** Members whose block is in force at `from` and expires by `until`. */
  findBlocksExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]>;
  /** Members holding a stored restriction that expires after `from` and by `until`. */
  findRestrictionsExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]>;
  /** The member holding the stored (placed, not lifted nor settled) restriction `restrictionId`. */
  findByRestrictionId(restrictionId: string): Promise<PersonalUser | null>;
}
