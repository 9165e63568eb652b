import { ConcurrencyError } from '../../../domain/shared/domain-error';
import type { Clock } from '../../../domain/shared/clock';
import { newEntityId } from '../../../domain/shared/entity-id';
import { isInForce } from '../../../domain/user/block';
import { PersonalUser, type PersonalUserProps } from '../../../domain/user/personal-user.aggregate';
import type { PersonalUserRepository, ProvisionProfile } from '../../../domain/user/personal-user.repository';
import type { UserEvent } from '../../../domain/user/user.events';
import { CallLog } from './call-log';

type SaveHook = (repository: InMemoryUserRepository) => void | Promise<void>;

/**
 * The user store as a map of plain documents, with MongoDB's contract: a save only
 * succeeds when the stored version is the one the aggregate was read at, and writes the
 * state, the history and the outbox together.
 */
export class InMemoryUserRepository implements PersonalUserRepository {
  private readonly rows = new Map<string, PersonalUserProps>();
  /** userId -> events saved but not yet marked published. */
  private readonly outbox = new Map<string, UserEvent[]>();
  /** userId -> when its standing was last saved. */
  private readonly standingChangedAt = new Map<string, Date>();
  private readonly saveErrors: unknown[] = [];
  private readonly beforeSaveHooks: SaveHook[] = [];
  private markError: unknown = null;
  saveCalls = 0;

  constructor(
    private readonly clock: Clock,
    readonly log: CallLog = new CallLog(),
  ) {}

  /** Seeds a document as if it had been stored earlier. */
  seed(props: PersonalUserProps): void {
    this.rows.set(props.id, structuredClone(props));
  }

  /** A deep copy of the stored document, or undefined. */
  row(id: string): PersonalUserProps | undefined {
    const row = this.rows.get(id);
    return row ? structuredClone(row) : undefined;
  }

  /** The next saves throw these errors (one per save), before writing anything. */
  failNextSaves(...errors: unknown[]): void {
    this.saveErrors.push(...errors);
  }

  /** Runs `hook` right before the next save's version check: a concurrent writer. */
  beforeNextSave(hook: SaveHook): void {
    this.beforeSaveHooks.push(hook);
  }

  failNextMarkPublished(error: unknown): void {
    this.markError = error;
  }

  outboxOf(userId: string): UserEvent[] {
    return [...(this.outbox.get(userId) ?? [])];
  }

  async findById(id: string): Promise<PersonalUser | null> {
    this.log.add(`users.findById ${id}`);
    const row = this.rows.get(id);
    return row ? PersonalUser.rehydrate(structuredClone(row), this.clock) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<PersonalUser[]> {
    this.log.add(`users.findManyByIds ${ids.join(',')}`);
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row ? [PersonalUser.rehydrate(structuredClone(row), this.clock)] : [];
    });
  }

  async provision(profile: ProvisionProfile): Promise<PersonalUser> {
    this.log.add(`users.provision ${profile.externalId}`);
    let row = [...this.rows.values()].find((candidate) => candidate.externalId === profile.externalId);
    if (row) {
      row.displayName = profile.displayName;
      row.email = profile.email;
      row.role = profile.role;
    } else {
      row = {
        id: newEntityId(this.clock.now()),
        externalId: profile.externalId,
        displayName: profile.displayName,
        email: profile.email,
        role: profile.role,
        block: null,
        restrictions: [],
        blockHistory: [],
        createdAt: this.clock.now(),
        version: 0,
      };
      this.rows.set(row.id, row);
    }
    return PersonalUser.rehydrate(structuredClone(row), this.clock);
  }

  async save(user: PersonalUser): Promise<void> {
    this.saveCalls += 1;
    this.log.add(`users.save ${user.id}`);
    const hook = this.beforeSaveHooks.shift();
    if (hook) await hook(this);
    if (this.saveErrors.length > 0) throw this.saveErrors.shift();
    const stored = this.rows.get(user.id);
    if (!stored || stored.version !== user.version) throw new ConcurrencyError('PersonalUser', user.id);
    this.rows.set(
      user.id,
      structuredClone({
        id: user.id,
        externalId: user.externalId,
        displayName: user.displayName,
        email: user.email,
        role: user.role,
        block: user.storedBlock,
        restrictions: [...user.storedRestrictions],
        blockHistory: [...user.blockHistory],
        createdAt: user.createdAt,
        version: stored.version + 1,
      }),
    );
    this.outbox.set(user.id, [...this.outboxOf(user.id), ...structuredClone([...user.newEvents])]);
    this.standingChangedAt.set(user.id, this.clock.now());
  }

  async markEventsPublished(userId: string, eventIds: readonly string[]): Promise<void> {
    this.log.add(`users.markEventsPublished ${userId} ${eventIds.join(',')}`);
    if (this.markError !== null) {
      const error = this.markError;
      this.markError = null;
      throw error;
    }
    this.outbox.set(
      userId,
      this.outboxOf(userId).filter((event) => !eventIds.includes(event.id)),
    );
  }

  async findUnpublishedEvents(limit: number): Promise<UserEvent[]> {
    return [...this.outbox.values()]
      .flat()
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
      .slice(0, limit);
  }

  async findStandingChangedSince(since: Date): Promise<PersonalUser[]> {
    return [...this.standingChangedAt]
      .filter(([, at]) => at.getTime() >= since.getTime())
      .flatMap(([id]) => {
        const row = this.rows.get(id);
        return row ? [PersonalUser.rehydrate(structuredClone(row), this.clock)] : [];
      });
  }

  async findBlocksExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]> {
    return [...this.rows.values()]
      .filter(
        (row) =>
          isInForce(row.block, from) && row.block?.expiresAt != null && row.block.expiresAt.getTime() <= until.getTime(),
      )
      .map((row) => PersonalUser.rehydrate(structuredClone(row), this.clock));
  }

  async findRestrictionsExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]> {
    return [...this.rows.values()]
      .filter((row) =>
        (row.restrictions ?? []).some(
          (restriction) =>
            restriction.expiresAt !== null &&
            restriction.expiresAt.getTime() > from.getTime() &&
            restriction.expiresAt.getTime() <= until.getTime(),
        ),
      )
      .map((row) => PersonalUser.rehydrate(structuredClone(row), this.clock));
  }

  async findByRestrictionId(restrictionId: string): Promise<PersonalUser | null> {
    this.log.add(`users.findByRestrictionId ${restrictionId}`);
    const row = [...this.rows.values()].find((candidate) =>
      (candidate.restrictions ?? []).some((restriction) => restriction.id === restrictionId),
    );
    return row ? PersonalUser.rehydrate(structuredClone(row), this.clock) : null;
  }
}
