import { useMutation } from '@apollo/client/react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { ForceDisconnectMemberDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { useGuardedClose } from './use-guarded-close';

/** Closes every live session of a member without blocking; the reason goes to the audit trail. */
export function ForceDisconnectDialog(props: { userId: string; memberName: string; onClose: () => void; onDone: (closed: number) => void }) {
  const [reason, setReason] = useState('');
  const [disconnect, { loading, error }] = useMutation(ForceDisconnectMemberDocument);
  const close = useGuardedClose(reason.length > 0, props.onClose);
  const submit = async () => {
    const result = await disconnect({ variables: { userId: props.userId, reason } }).catch(() => null);
    if (result?.data) props.onDone(result.data.forceDisconnect);
  };
  return (
    <Modal
      open
      title={`Disconnect ${props.memberName}`}
      okText="Disconnect"
      okButtonProps={{ disabled: !reason.trim(), loading }}
      onOk={() => void submit()}
      onCancel={close}
      maskClosable={false}
    >
      <Typography.Paragraph>Every open session of this member is closed. They may sign in again at once.</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label="Reason (audit trail only)" htmlFor="disconnect-reason" required>
          <Input.TextArea id="disconnect-reason" rows={2} maxLength={1000} value={reason} onChange={(event) => setReason(event.target.value)} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} />}
    </Modal>
  );
}
