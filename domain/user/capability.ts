import type { Block, BlockReason } from './block';
import { isCategoryScopedFor, longestLasting, type Restriction } from './restriction';
import { USER_ACTIONS, type UserAction } from './user-action';

/**
 * Whether a member may take an action now, and when not, why and until when: what
 * clients show instead of re-implementing the rules.
 */
export interface Capability {
  action: UserAction;
  /** False while a block or a restriction on every category refuses it. */
  allowed: boolean;
  /** When only some categories are refused: those. */
  categories: string[] | null;
  reason: BlockReason | null;
  userMessage: string | null;
  /** When the refusal ends; null when it does not (or nothing is refused). */
  until: Date | null;
}

/** One capability per UserAction, given the block and the restrictions in force. */
export function capabilitiesOf(block: Block | null, restrictions: readonly Restriction[]): Capability[] {
  return USER_ACTIONS.map((action) => {
    if (block) {
      return { action, allowed: false, categories: null, reason: block.reason, userMessage: block.userMessage, until: block.expiresAt };
    }
    const refusing = restrictions.filter((restriction) => restriction.actions.includes(action));
    const everywhere = refusing.filter((restriction) => !isCategoryScopedFor(restriction, action));
    const decisive = longestLasting(everywhere.length > 0 ? everywhere : refusing);
    if (!decisive) return { action, allowed: true, categories: null, reason: null, userMessage: null, until: null };
    const categories =
      everywhere.length > 0 ? null : [...new Set(refusing.flatMap((restriction) => restriction.categories ?? []))];
    return {
      action,
      allowed: everywhere.length === 0,
      categories,
      reason: decisive.reason,
      userMessage: decisive.userMessage,
      until: decisive.expiresAt,
    };
  });
}
