import { Tag } from 'antd';
import type { AccountState } from '../../generated/graphql';

// Dark text on light fills: antd's preset tag colours fall under 4.5:1 contrast.
const STYLE: Record<string, { background: string; borderColor: string }> = {
  ACTIVE: { background: '#e6f4ea', borderColor: '#7fb88a' },
  RESTRICTED: { background: '#fff4d6', borderColor: '#d9a93a' },
  BLOCKED: { background: '#fde7e7', borderColor: '#d97a7a' },
};

/** A member's state as a coloured word (the word carries the meaning, not the colour). */
export function StateTag({ state }: { state: AccountState }) {
  return (
    <Tag style={{ ...STYLE[state], color: '#1a1a1a' }} data-testid="state-tag">
      {state}
    </Tag>
  );
}
