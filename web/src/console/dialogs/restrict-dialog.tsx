import { useMutation } from '@apollo/client/react';
import { Alert, Checkbox, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { RestrictMemberDocument, type BlockDuration, type BlockReason, type UserAction } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { ACTION_LABEL, DURATIONS, USER_ACTIONS } from '../../shared/labels';
import { DurationField, InternalNoteField, MemberMessageField, ReasonField } from './penalty-fields';
import { useGuardedClose } from './use-guarded-close';

/** Restricts some of a member's actions, optionally in some listing categories only. */
export function RestrictDialog(props: { userId: string; memberName: string; onClose: () => void; onDone: () => void }) {
  const [actions, setActions] = useState<UserAction[]>([]);
  const [categories, setCategories] = useState('');
  const [reason, setReason] = useState<BlockReason | undefined>();
  const [duration, setDuration] = useState<BlockDuration | undefined>();
  const [message, setMessage] = useState('');
  const [note, setNote] = useState('');
  const [restrict, { loading, error }] = useMutation(RestrictMemberDocument);
  const dirty = Boolean(actions.length || categories || reason || duration || message || note);
  const close = useGuardedClose(dirty, props.onClose);
  const valid = Boolean(actions.length && reason && duration && message.trim());
  const submit = async () => {
    if (!valid || !reason || !duration) return;
    const scoped = categories.split(',').map((category) => category.trim()).filter(Boolean);
    const result = await restrict({
      variables: {
        input: {
          userId: props.userId,
          actions,
          categories: scoped.length ? scoped : null,
          reason,
          duration,
          userMessage: message,
          adminNote: note.trim() || null,
        },
      },
    }).catch(() => null);
    if (result?.data) props.onDone();
  };
  return (
    <Modal
      open
      title={`Restrict ${props.memberName}`}
      okText="Restrict"
      okButtonProps={{ disabled: !valid, loading }}
      onOk={() => void submit()}
      onCancel={close}
      maskClosable={false}
      width={640}
    >
      <Form layout="vertical">
        <Form.Item label="Actions to restrict" required>
          <Checkbox.Group
            aria-label="Actions to restrict"
            value={actions}
            onChange={(values) => setActions(values as UserAction[])}
            options={USER_ACTIONS.map((value) => ({ value, label: ACTION_LABEL[value] }))}
          />
        </Form.Item>
        <Form.Item label="Only in these listing categories (comma-separated; empty: all)" htmlFor="restrict-categories">
          <Input id="restrict-categories" value={categories} onChange={(event) => setCategories(event.target.value)} />
        </Form.Item>
        <ReasonField value={reason} onChange={setReason} />
        <DurationField value={duration} onChange={setDuration} durations={DURATIONS} />
        <MemberMessageField id="restrict-message" value={message} onChange={setMessage} />
        <InternalNoteField id="restrict-note" value={note} onChange={setNote} />
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} />}
    </Modal>
  );
}
