import { Typography } from 'antd';
import { useLiveConnection } from './live-connection';

const PHASE_TEXT = {
  connecting: 'Live updates: connecting…',
  connected: 'Live updates: on',
  retrying: 'Live updates: reconnecting…',
  ended: 'Live updates: stopped',
} as const;

/** One line saying whether live updates flow, and the last close code when they stopped. */
export function LiveStatusLine() {
  const live = useLiveConnection();
  return (
    <Typography.Text
      type="secondary"
      data-testid="live-status"
      data-phase={live.phase}
      data-close-code={live.closeCode ?? ''}
      data-attempts={live.attempts}
    >
      {PHASE_TEXT[live.phase]}
      {live.phase === 'ended' && live.closeCode ? ` (closed with ${live.closeCode})` : ''}
    </Typography.Text>
  );
}
