import { Typography } from 'antd';
import { useId, type ReactElement } from 'react';

/** Whether the member may take an action, as the server computed it. */
export interface ActionPermission {
  allowed: boolean;
  /** Why not, in words for the member. */
  reason: string | null;
  /** Allowed but narrowed (some categories refused): what to tell the member. */
  note: string | null;
}

/**
 * Wraps a control the member may not always use. When refused, the control is
 * `aria-disabled` and the reason is written next to it (a tooltip on a disabled control
 * never shows), linked with aria-describedby.
 */
export function ActionGate({
  permission,
  children,
}: {
  permission: ActionPermission;
  children: (props: { 'aria-disabled'?: true; 'aria-describedby'?: string; disabled?: boolean }) => ReactElement;
}) {
  const reasonId = useId();
  if (permission.allowed && !permission.note) return children({});
  if (permission.allowed) {
    return (
      <span>
        {children({ 'aria-describedby': reasonId })}
        <Typography.Text type="secondary" id={reasonId} style={{ display: 'block', marginTop: 4 }}>
          {permission.note}
        </Typography.Text>
      </span>
    );
  }
  return (
    <span>
      {children({ 'aria-disabled': true, 'aria-describedby': reasonId, disabled: true })}
      <Typography.Text type="warning" id={reasonId} data-testid="refusal-reason" style={{ display: 'block', marginTop: 4 }}>
        {permission.reason}
      </Typography.Text>
    </span>
  );
}
