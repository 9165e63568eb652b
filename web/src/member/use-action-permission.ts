import { useQuery } from '@apollo/client/react';
import { MyStandingDocument, type UserAction } from '../generated/graphql';
import { formatInstant } from '../shared/format';
import { REASON_LABEL } from '../shared/labels';
import type { ActionPermission } from './components/action-gate';

/**
 * Whether the member may take `action` now: the capability the server computed, kept live
 * by the accountStatus subscription, in words for the member. No rule is decided here.
 */
export function useActionPermission(action: UserAction): ActionPermission {
  const { data } = useQuery(MyStandingDocument, { fetchPolicy: 'cache-only' });
  const capability = data?.me.accountStatus?.capabilities.find((candidate) => candidate.action === action);
  if (!capability) return { allowed: true, reason: null, note: null };
  const why = [
    capability.reason ? REASON_LABEL[capability.reason] : null,
    capability.userMessage,
    capability.until ? `until ${formatInstant(capability.until)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  if (!capability.allowed) return { allowed: false, reason: `Not available: ${why}`, note: null };
  if (capability.categories?.length) {
    return { allowed: true, reason: null, note: `Not in the categories ${capability.categories.join(', ')}: ${why}` };
  }
  return { allowed: true, reason: null, note: null };
}
