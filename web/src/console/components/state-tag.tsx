import { Tag } from 'antd';
import type { AccountState } from '../../generated/graphql';

const COLOR: Record<string, string> = { ACTIVE: 'green', RESTRICTED: 'gold', BLOCKED: 'red' };

/** A member's state as a coloured word (the word carries the meaning, not the colour). */
export function StateTag({ state }: { state: AccountState }) {
  return (
    <Tag color={COLOR[state]} data-testid="state-tag">
      {state}
    </Tag>
  );
}
