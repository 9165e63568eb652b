import type { Page, PageRequest } from '../shared/page';
import type { Appeal } from './appeal.aggregate';

export interface AppealRepository {
  /** Throws appealErrors.alreadyFiled() when the block already has an appeal. */
  insert(appeal: Appeal): Promise<void>;
  findById(id: string): Promise<Appeal | null>;
  findByBlockKey(blockKey: string): Promise<Appeal | null>;
  /** Newest first. */
  listOpen(page: PageRequest): Promise<Page<Appeal>>;
  /**
   * Stores the decision only if the appeal is still OPEN, so two admins deciding at once
   * cannot both win. @returns false when someone else decided first
   */
  saveDecision(appeal: Appeal): Promise<boolean>;
}
