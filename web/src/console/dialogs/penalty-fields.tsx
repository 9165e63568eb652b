import { Form, Input, Radio } from 'antd';
import type { BlockDuration, BlockReason } from '../../generated/graphql';
import { DURATION_LABEL, REASONS, REASON_LABEL } from '../../shared/labels';

/** The longest message to the member and internal note the dialogs accept (the server's limits). */
export const MESSAGE_MAX = 1000;
export const NOTE_MAX = 4000;

/** Why a block or restriction is placed. */
export function ReasonField(props: { value: BlockReason | undefined; onChange: (reason: BlockReason) => void }) {
  return (
    <Form.Item label="Reason" required>
      <Radio.Group
        aria-label="Reason"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value as BlockReason)}
        options={REASONS.map((value) => ({ value, label: REASON_LABEL[value] }))}
      />
    </Form.Item>
  );
}

/** How long a block or restriction lasts, among `durations`. */
export function DurationField(props: {
  value: BlockDuration | undefined;
  onChange: (duration: BlockDuration) => void;
  durations: readonly BlockDuration[];
}) {
  return (
    <Form.Item label="Duration" required>
      <Radio.Group
        aria-label="Duration"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value as BlockDuration)}
        options={props.durations.map((value) => ({ value, label: DURATION_LABEL[value] }))}
      />
    </Form.Item>
  );
}

/** What the member is told. */
export function MemberMessageField(props: { id: string; value: string; onChange: (message: string) => void }) {
  return (
    <Form.Item label="Message to the member" htmlFor={props.id} required>
      <Input.TextArea
        id={props.id}
        rows={3}
        maxLength={MESSAGE_MAX}
        showCount
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </Form.Item>
  );
}

/** A note only staff read. */
export function InternalNoteField(props: { id: string; value: string; onChange: (note: string) => void }) {
  return (
    <Form.Item label="Internal note (staff only)" htmlFor={props.id}>
      <Input.TextArea id={props.id} rows={2} maxLength={NOTE_MAX} value={props.value} onChange={(event) => props.onChange(event.target.value)} />
    </Form.Item>
  );
}
