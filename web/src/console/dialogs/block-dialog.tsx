import { useMutation } from '@apollo/client/react';
import { Alert, Card, Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { BlockMemberDocument, type BlockDuration, type BlockReason } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { DURATION_LABEL, REASON_LABEL } from '../../shared/labels';
import { DurationField, InternalNoteField, MemberMessageField, MESSAGE_MAX, NOTE_MAX, ReasonField } from './penalty-fields';
import { useGuardedClose } from './use-guarded-close';

/**
 * Blocks a member. Offers only the durations the server allows this viewer on this member;
 * shows the message as the member will see it; submits only when complete.
 */
export function BlockDialog(props: {
  userId: string;
  memberName: string;
  durations: readonly BlockDuration[];
  onClose: () => void;
  onDone: () => void;
}) {
  const [reason, setReason] = useState<BlockReason | undefined>();
  const [duration, setDuration] = useState<BlockDuration | undefined>();
  const [message, setMessage] = useState('');
  const [note, setNote] = useState('');
  const [block, { loading, error }] = useMutation(BlockMemberDocument);
  const dirty = Boolean(reason || duration || message || note);
  const close = useGuardedClose(dirty, props.onClose);
  const valid = Boolean(reason && duration && message.trim() && message.trim().length <= MESSAGE_MAX && note.length <= NOTE_MAX);
  const submit = async () => {
    if (!valid || !reason || !duration) return;
    const result = await block({
      variables: { input: { userId: props.userId, reason, duration, userMessage: message, adminNote: note.trim() || null } },
    }).catch(() => null);
    if (result?.data) props.onDone();
  };
  return (
    <Modal
      open
      title={`Block ${props.memberName}`}
      okText="Block member"
      okButtonProps={{ disabled: !valid, danger: true, loading }}
      onOk={() => void submit()}
      onCancel={close}
      maskClosable={false}
      width={640}
    >
      <Form layout="vertical">
        <ReasonField value={reason} onChange={setReason} />
        <DurationField value={duration} onChange={setDuration} durations={props.durations} />
        <MemberMessageField id="block-message" value={message} onChange={setMessage} />
        <Card size="small" title="What the member will see" style={{ marginBottom: 16 }}>
          <Typography.Text strong>Your account is blocked</Typography.Text>
          <div>Reason: {reason ? REASON_LABEL[reason] : '—'}</div>
          <div data-testid="message-preview" style={{ whiteSpace: 'pre-wrap' }}>
            {message.trim() || 'Your message will appear here.'}
          </div>
          <div>Ends: {duration ? (duration === 'INDEFINITE' ? 'no end date' : `in ${DURATION_LABEL[duration]}`) : '—'}</div>
        </Card>
        <InternalNoteField id="block-note" value={note} onChange={setNote} />
      </Form>
      <Alert type="warning" showIcon title="This will prevent them from creating listings and making reservations." />
      {error && <Alert type="error" title={errorMessage(error)} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
