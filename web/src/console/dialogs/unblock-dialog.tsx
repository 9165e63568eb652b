import { useMutation } from '@apollo/client/react';
import { Alert, Descriptions, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { UnblockMemberDocument, type BlockReason } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant, timeLeft } from '../../shared/format';
import { REASON_LABEL } from '../../shared/labels';
import { useGuardedClose } from './use-guarded-close';

export interface PlacedBlock {
  reason: BlockReason;
  userMessage: string;
  blockedAt: string;
  expiresAt: string | null;
  blockedBy: { displayName: string | null } | null;
}

/** Lifts a block: shows what is being lifted and requires a reason. */
export function UnblockDialog(props: { userId: string; memberName: string; block: PlacedBlock; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [unblock, { loading, error }] = useMutation(UnblockMemberDocument);
  const close = useGuardedClose(reason.length > 0, props.onClose);
  const submit = async () => {
    const result = await unblock({ variables: { input: { userId: props.userId, reason } } }).catch(() => null);
    if (result?.data) props.onDone();
  };
  const { block } = props;
  return (
    <Modal
      open
      title={`Unblock ${props.memberName}`}
      okText="Unblock"
      okButtonProps={{ disabled: !reason.trim(), loading }}
      onOk={() => void submit()}
      onCancel={close}
      maskClosable={false}
    >
      <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="Original reason">{REASON_LABEL[block.reason]}</Descriptions.Item>
        <Descriptions.Item label="Message">{block.userMessage}</Descriptions.Item>
        <Descriptions.Item label="Placed by">{block.blockedBy?.displayName ?? 'the system'}</Descriptions.Item>
        <Descriptions.Item label="Placed">{formatInstant(block.blockedAt)}</Descriptions.Item>
        <Descriptions.Item label="Time left">{timeLeft(block.expiresAt)}</Descriptions.Item>
      </Descriptions>
      <Form layout="vertical">
        <Form.Item label="Why lift it?" htmlFor="unblock-reason" required>
          <Input.TextArea id="unblock-reason" rows={3} maxLength={1000} value={reason} onChange={(event) => setReason(event.target.value)} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} />}
    </Modal>
  );
}
