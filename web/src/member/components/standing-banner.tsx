import { Alert } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { StandingFieldsFragment } from '../../generated/graphql';

/**
 * A live region that follows the member's standing: it speaks up when the standing changes
 * while the app is open (a restriction placed or lifted, a block lifted).
 */
export function StandingBanner({ status }: { status: StandingFieldsFragment }) {
  const previous = useRef(status.state);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (previous.current !== status.state) {
      setNotice(status.state === 'ACTIVE' ? 'Your account is in good standing again.' : null);
      previous.current = status.state;
    }
  }, [status.state]);
  const text = notice;
  return (
    <div role="alert" data-testid="standing-banner" data-state={status.state} style={{ marginBottom: text ? 16 : 0 }}>
      {text && <Alert type={status.state === 'ACTIVE' ? 'success' : 'warning'} title={text} showIcon />}
    </div>
  );
}
