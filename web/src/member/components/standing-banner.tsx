import { useEffect, useRef, useState } from 'react';
import type { StandingFieldsFragment } from '../../generated/graphql';
import { formatInstant } from '../../shared/format';
import { ACTION_LABEL } from '../../shared/labels';

/**
 * A live region that follows the member's standing (kept live by the accountStatus
 * subscription): what is restricted now, or that the account is back in good standing.
 */
export function StandingBanner({ status }: { status: StandingFieldsFragment }) {
  const previous = useRef(status.state);
  const [recovered, setRecovered] = useState(false);
  useEffect(() => {
    if (previous.current !== status.state) {
      setRecovered(status.state === 'ACTIVE');
      previous.current = status.state;
    }
  }, [status.state]);
  const refused = status.capabilities.filter((capability) => !capability.allowed || capability.categories?.length);
  const restrictedText =
    status.state === 'RESTRICTED'
      ? `Restricted on your account: ${refused
          .map(
            (capability) =>
              `${ACTION_LABEL[capability.action]}${capability.categories?.length ? ` (in ${capability.categories.join(', ')})` : ''}` +
              (capability.until ? ` until ${formatInstant(capability.until)}` : ''),
          )
          .join('; ')}.`
      : null;
  const text = restrictedText ?? (recovered ? 'Your account is in good standing again.' : null);
  // One live region, always present so changes are announced; no nested alert inside it.
  const good = status.state === 'ACTIVE';
  return (
    <div
      role="alert"
      data-testid="standing-banner"
      data-state={status.state}
      style={
        text
          ? {
              marginBottom: 16,
              padding: '8px 12px',
              borderRadius: 6,
              border: `1px solid ${good ? '#95de64' : '#ffd666'}`,
              background: good ? '#f6ffed' : '#fffbe6',
            }
          : undefined
      }
    >
      {text}
    </div>
  );
}
