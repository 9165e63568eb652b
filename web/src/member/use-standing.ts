import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect } from 'react';
import { MyStandingDocument, StandingChangedDocument } from '../generated/graphql';
import { BLOCKED_STANDING_POLL_MS } from '../shared/timing';

/**
 * The member's standing, kept live: the accountStatus subscription updates the cached
 * status (AccountStatus is keyed by userId). While blocked the server has closed the socket
 * for good, so the subscription is not renewed; the standing is re-read over HTTP instead
 * and the subscription resumes once the block is gone.
 */
export function useStanding() {
  const query = useQuery(MyStandingDocument);
  const blocked = query.data?.me.accountStatus?.state === 'BLOCKED';
  useSubscription(StandingChangedDocument, { skip: !query.data || blocked });
  const { startPolling, stopPolling } = query;
  useEffect(() => {
    if (!blocked) return;
    startPolling(BLOCKED_STANDING_POLL_MS);
    return () => stopPolling();
  }, [blocked, startPolling, stopPolling]);
  return query;
}
