import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { Alert, Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  ModerationEntryAddedDocument,
  ModerationLogPageDocument,
  type LogEntryFieldsFragment,
  type ModerationEventType,
  type ModerationLogFilter,
} from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';
import { EVENT_LABEL, EVENT_TYPES } from '../../shared/labels';
import { downloadLogCsv } from './log-csv';

/** The moderation log: filters in the URL, new entries arriving live on top, CSV export. */
export function ModerationLogPage() {
  const [params, setParams] = useSearchParams();
  const client = useApolloClient();
  const [live, setLive] = useState<LogEntryFieldsFragment[]>([]);
  const [exporting, setExporting] = useState(false);
  const types = params.getAll('type') as ModerationEventType[];
  const userId = params.get('member') ?? '';
  const since = params.get('since') ?? '';
  const until = params.get('until') ?? '';
  const filter: ModerationLogFilter = {
    types: types.length ? types : null,
    userId: userId || null,
    since: since ? new Date(`${since}T00:00:00Z`).toISOString() : null,
    until: until ? new Date(new Date(`${until}T00:00:00Z`).getTime() + 86_400_000).toISOString() : null,
  };
  const { data, error, loading, fetchMore } = useQuery(ModerationLogPageDocument, { variables: { filter, first: 50 } });
  useSubscription(ModerationEntryAddedDocument, {
    variables: { types: filter.types ?? null },
    onData: ({ data: event }) => {
      const entry = event.data?.moderationEvents;
      if (!entry) return;
      if (filter.userId && entry.actorId !== filter.userId && entry.targetId !== filter.userId) return;
      if (filter.until) return; // a period that ends is complete already
      setLive((entries) => [entry, ...entries.filter((known) => known.id !== entry.id)]);
    },
  });
  const apply = (values: { type?: ModerationEventType[]; member?: string; since?: string; until?: string }) => {
    const next = new URLSearchParams();
    for (const type of values.type ?? []) next.append('type', type);
    if (values.member?.trim()) next.set('member', values.member.trim());
    if (values.since) next.set('since', values.since);
    if (values.until) next.set('until', values.until);
    setLive([]);
    setParams(next);
  };
  const stored = data?.moderationLog.nodes ?? [];
  const rows = [...live.filter((entry) => !stored.some((known) => known.id === entry.id)), ...stored];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Moderation log
      </Typography.Title>
      <Form layout="inline" initialValues={{ type: types, member: userId, since, until }} key={params.toString()} onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label="Types" name="type">
          <Select mode="multiple" allowClear style={{ minWidth: 240 }} options={EVENT_TYPES.map((value) => ({ value, label: EVENT_LABEL[value] }))} />
        </Form.Item>
        <Form.Item label="Member id" name="member">
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item label="From" name="since">
          <Input type="date" />
        </Form.Item>
        <Form.Item label="Until" name="until">
          <Input type="date" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            Filter
          </Button>
          <Button
            loading={exporting}
            onClick={() => {
              setExporting(true);
              void downloadLogCsv(client, filter).finally(() => setExporting(false));
            }}
          >
            Export CSV
          </Button>
        </Space>
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={rows}
        data-testid="log-table"
        columns={[
          { title: 'When', render: (_, entry) => formatInstant(entry.at) },
          { title: 'Type', render: (_, entry) => <Tag>{EVENT_LABEL[entry.type]}</Tag> },
          { title: 'By', render: (_, entry) => entry.actor?.displayName ?? (entry.actorId ? entry.actorId : 'system') },
          { title: 'Member', render: (_, entry) => entry.target?.displayName ?? entry.targetId ?? '' },
          { title: 'Reason', dataIndex: 'reason' },
        ]}
      />
      {data?.moderationLog.pageInfo.hasNextPage && (
        <Button style={{ marginTop: 16 }} onClick={() => void fetchMore({ variables: { after: data.moderationLog.pageInfo.endCursor } })}>
          Older entries
        </Button>
      )}
    </>
  );
}
