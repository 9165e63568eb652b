import { useMutation } from '@apollo/client/react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { PublishListingDocument, type CreateItemListingInput } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { ActionGate } from '../components/action-gate';
import { useActionPermission } from '../use-action-permission';

/** The form to share an item. */
export function CreateListingPage() {
  const permission = useActionPermission('CREATE_LISTING');
  const navigate = useNavigate();
  const [publish, { loading, error }] = useMutation(PublishListingDocument);
  const submit = async (input: CreateItemListingInput) => {
    const result = await publish({ variables: { input } }).catch(() => null);
    const id = result?.data?.createItemListing.id;
    if (id) void navigate(`/listings/${id}`);
  };
  const required = [{ required: true, whitespace: true, message: 'Required' }];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Share an item
      </Typography.Title>
      <Form layout="vertical" onFinish={submit} style={{ maxWidth: 560 }}>
        <Form.Item label="Title" name="title" rules={required}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={required}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item label="Category" name="category" rules={required}>
          <Input maxLength={100} placeholder="tools" />
        </Form.Item>
        <Form.Item label="Location" name="location" rules={required}>
          <Input maxLength={200} />
        </Form.Item>
        {error && <Alert type="error" title={errorMessage(error)} style={{ marginBottom: 12 }} />}
        <ActionGate permission={permission}>
          {(gate) => (
            <Button type="primary" htmlType="submit" loading={loading} {...gate}>
              Publish
            </Button>
          )}
        </ActionGate>
      </Form>
    </>
  );
}
