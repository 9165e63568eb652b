import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { CancelReservationDocument, MyReservationsDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';

/** The member's reservation requests, each cancellable while pending or accepted. */
export function MyReservationsPage() {
  const { data, error, loading } = useQuery(MyReservationsDocument);
  const [cancel, cancelling] = useMutation(CancelReservationDocument);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        My reservations
      </Typography.Title>
      {(error ?? cancelling.error) && <Alert type="error" title={errorMessage(error ?? cancelling.error)} />}
      <Table
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.myReservations.nodes ?? []}
        columns={[
          { title: 'Item', render: (_, row) => <Link to={`/listings/${row.listing.id}`}>{row.listing.title}</Link> },
          { title: 'From', render: (_, row) => formatInstant(row.start) },
          { title: 'Until', render: (_, row) => formatInstant(row.end) },
          { title: 'State', dataIndex: 'state' },
          {
            title: 'Actions',
            render: (_, row) =>
              row.state === 'PENDING' || row.state === 'ACCEPTED' ? (
                <Button onClick={() => void cancel({ variables: { requestId: row.id } }).catch(() => undefined)}>
                  Cancel request for {row.listing.title}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
