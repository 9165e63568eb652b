import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ListingDetailsDocument, MyStandingDocument, RequestReservationDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';
import { ActionGate } from '../components/action-gate';
import { useActionPermission } from '../use-action-permission';

/** One listing, with the form to request a reservation and a way to message the sharer. */
export function ListingPage() {
  const { id = '' } = useParams();
  const { data, error } = useQuery(ListingDetailsDocument, { variables: { id } });
  const me = useQuery(MyStandingDocument, { fetchPolicy: 'cache-only' }).data?.me;
  if (error) return <Alert type="error" title={errorMessage(error)} />;
  if (!data) return null;
  const { listing } = data;
  const own = me?.id === listing.sharer.id;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {listing.title}
      </Typography.Title>
      <Descriptions column={1} bordered size="small" style={{ maxWidth: 720, marginBottom: 24 }}>
        <Descriptions.Item label="Description">{listing.description}</Descriptions.Item>
        <Descriptions.Item label="Category">{listing.category}</Descriptions.Item>
        <Descriptions.Item label="Location">{listing.location}</Descriptions.Item>
        <Descriptions.Item label="Shared by">{listing.sharer.displayName ?? 'a member'}</Descriptions.Item>
        <Descriptions.Item label="Published">{formatInstant(listing.createdAt)}</Descriptions.Item>
      </Descriptions>
      {own ? (
        <Typography.Paragraph>This is your item.</Typography.Paragraph>
      ) : (
        <Space orientation="vertical" size="large">
          <ReservationForm listingId={listing.id} />
          <Link to={`/conversations?to=${listing.sharer.id}`}>Message {listing.sharer.displayName ?? 'the sharer'}</Link>
        </Space>
      )}
    </>
  );
}

function ReservationForm({ listingId }: { listingId: string }) {
  const permission = useActionPermission('REQUEST_RESERVATION');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [request, { data, loading, error }] = useMutation(RequestReservationDocument);
  const submit = () =>
    void request({
      variables: { input: { listingId, start: new Date(`${start}T09:00:00Z`).toISOString(), end: new Date(`${end}T18:00:00Z`).toISOString() } },
    }).catch(() => undefined);
  return (
    <section aria-labelledby="reserve-heading">
      <Typography.Title level={2} id="reserve-heading" style={{ fontSize: 20 }}>
        Request a reservation
      </Typography.Title>
      <Form layout="inline" onFinish={submit}>
        <Form.Item label="From" htmlFor="reserve-start">
          <Input id="reserve-start" type="date" value={start} onChange={(event) => setStart(event.target.value)} />
        </Form.Item>
        <Form.Item label="Until" htmlFor="reserve-end">
          <Input id="reserve-end" type="date" value={end} onChange={(event) => setEnd(event.target.value)} />
        </Form.Item>
        <ActionGate permission={permission}>
          {(gate) => (
            <Button type="primary" htmlType="submit" loading={loading} {...gate} disabled={gate.disabled || !start || !end}>
              Request
            </Button>
          )}
        </ActionGate>
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} style={{ marginTop: 12 }} />}
      {data && <Alert type="success" title="Request sent. The sharer will accept or decline it." style={{ marginTop: 12 }} />}
    </section>
  );
}
