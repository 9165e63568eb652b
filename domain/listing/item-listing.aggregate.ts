import type { Clock } from '../shared/clock';
import { newEntityId } from '../shared/entity-id';
import { requireText } from '../shared/text';
import { TEXT_LIMITS } from '../shared/text-limits';
import type { PersonalUser } from '../user/personal-user.aggregate';

export interface ItemListingProps {
  id: string;
  sharerId: string;
  title: string;
  description: string;
  category: string;
  location: string;
  createdAt: Date;
}

export interface NewListing {
  title: string;
  description: string;
  category: string;
  location: string;
}

/** An item a member offers to share. */
export class ItemListing {
  private constructor(private readonly props: ItemListingProps) {}

  /**
   * Publishes a listing; the sharer's block or a restriction (of its category) refuses it.
   * `id` is given for an idempotent retry (the id reserved by the first try), else a new
   * one is made.
   */
  static publish(sharer: PersonalUser, input: NewListing, clock: Clock, id?: string): ItemListing {
    sharer.validateUserCanPerformAction('CREATE_LISTING', { category: input.category });
    const now = clock.now();
    return new ItemListing({
      id: id ?? newEntityId(now),
      sharerId: sharer.id,
      title: requireText(input.title, { field: 'title', min: 1, max: TEXT_LIMITS.listingTitle }),
      description: requireText(input.description, {
        field: 'description',
        min: 1,
        max: TEXT_LIMITS.listingDescription,
      }),
      category: requireText(input.category, { field: 'category', min: 1, max: TEXT_LIMITS.listingCategory }),
      location: requireText(input.location, { field: 'location', min: 1, max: TEXT_LIMITS.listingLocation }),
      createdAt: now,
    });
  }

  static rehydrate(props: ItemListingProps): ItemListing {
    return new ItemListing({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get sharerId(): string {
    return this.props.sharerId;
  }
  get title(): string {
    return this.props.title;
  }
  get description(): string {
    return this.props.description;
  }
  get category(): string {
    return this.props.category;
  }
  get location(): string {
    return this.props.location;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
}
