import { useMutation } from '@apollo/client/react';
import { Alert, Descriptions, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { LiftMemberRestrictionDocument, type BlockReason, type UserAction } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant, timeLeft } from '../../shared/format';
import { ACTION_LABEL, REASON_LABEL } from '../../shared/labels';
import { useGuardedClose } from './use-guarded-close';

export interface PlacedRestriction {
  id: string;
  actions: UserAction[];
  reason: BlockReason;
  userMessage: string;
  createdAt: string;
  expiresAt: string | null;
  createdBy: { displayName: string | null } | null;
}

/** Lifts one restriction: shows what is being lifted and requires a reason. */
export function LiftDialog(props: { restriction: PlacedRestriction; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [lift, { loading, error }] = useMutation(LiftMemberRestrictionDocument);
  const close = useGuardedClose(reason.length > 0, props.onClose);
  const { restriction } = props;
  const submit = async () => {
    const result = await lift({ variables: { input: { restrictionId: restriction.id, reason } } }).catch(() => null);
    if (result?.data) props.onDone();
  };
  return (
    <Modal
      open
      title="Lift restriction"
      okText="Lift"
      okButtonProps={{ disabled: !reason.trim(), loading }}
      onOk={() => void submit()}
      onCancel={close}
      maskClosable={false}
    >
      <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="Restricted">{restriction.actions.map((action) => ACTION_LABEL[action]).join(', ')}</Descriptions.Item>
        <Descriptions.Item label="Original reason">{REASON_LABEL[restriction.reason]}</Descriptions.Item>
        <Descriptions.Item label="Message">{restriction.userMessage}</Descriptions.Item>
        <Descriptions.Item label="Placed by">{restriction.createdBy?.displayName ?? 'the system'}</Descriptions.Item>
        <Descriptions.Item label="Placed">{formatInstant(restriction.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="Time left">{timeLeft(restriction.expiresAt)}</Descriptions.Item>
      </Descriptions>
      <Form layout="vertical">
        <Form.Item label="Why lift it?" htmlFor="lift-reason" required>
          <Input.TextArea id="lift-reason" rows={3} maxLength={1000} value={reason} onChange={(event) => setReason(event.target.value)} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} />}
    </Modal>
  );
}
