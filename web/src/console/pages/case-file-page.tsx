import { useQuery, useSubscription } from '@apollo/client/react';
import { Alert, App, Button, Card, Col, Descriptions, Row, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { CaseAuditDocument, CaseFileDocument, CaseStandingChangedDocument, SessionCountDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant, timeLeft } from '../../shared/format';
import { ACTION_LABEL, DURATION_LABEL, EVENT_LABEL, REASON_LABEL } from '../../shared/labels';
import { SESSION_COUNT_POLL_MS } from '../../shared/timing';
import { StateTag } from '../components/state-tag';
import { BlockDialog } from '../dialogs/block-dialog';
import { ForceDisconnectDialog } from '../dialogs/force-disconnect-dialog';
import { LiftDialog } from '../dialogs/lift-dialog';
import { RestrictDialog } from '../dialogs/restrict-dialog';
import { UnblockDialog } from '../dialogs/unblock-dialog';

const SIX_MONTHS_MS = 183 * 86_400_000;
type Dialog = { kind: 'block' | 'unblock' | 'disconnect' | 'restrict' } | { kind: 'lift'; restrictionId: string } | null;

/** Everything about one member: identity, live standing and sessions, block, history, audit. */
export function CaseFilePage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const file = useQuery(CaseFileDocument, { variables: { id } });
  const audit = useQuery(CaseAuditDocument, { variables: { userId: id } });
  useQuery(SessionCountDocument, { variables: { id }, pollInterval: SESSION_COUNT_POLL_MS });
  // The live standing lands in the cache (AccountStatus keyed by userId); the rest is re-read.
  useSubscription(CaseStandingChangedDocument, {
    variables: { userId: id },
    onData: () => void Promise.all([file.refetch(), audit.refetch()]),
  });
  if (file.error) return <Alert type="error" title={errorMessage(file.error)} />;
  const user = file.data?.user;
  if (!file.data) return null;
  if (!user) return <Alert type="warning" title="No such member" />;
  const name = user.displayName ?? user.externalId ?? user.id;
  const status = user.accountStatus;
  const options = user.moderationOptions;
  if (!status) return <Alert type="warning" title="This member's standing cannot be read" />;
  const lifting = dialog?.kind === 'lift' ? status.restrictions.find((restriction) => restriction.id === dialog.restrictionId) : undefined;
  const done = (text: string) => () => {
    setDialog(null);
    void message.success(text);
    void Promise.all([file.refetch(), audit.refetch()]);
  };
  const since = Date.now() - SIX_MONTHS_MS;
  const recent = user.blockHistory.filter((entry) => new Date(entry.at).getTime() >= since);
  const countOf = (kind: string) => recent.filter((entry) => entry.kind === kind).length;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {name}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 16 }} aria-label="Actions">
        {status.state !== 'BLOCKED' && options.blockDurations.length > 0 && (
          <Button danger onClick={() => setDialog({ kind: 'block' })}>
            Block
          </Button>
        )}
        {status.state === 'BLOCKED' && options.canUnblock && user.block && (
          <Button onClick={() => setDialog({ kind: 'unblock' })}>Unblock</Button>
        )}
        {options.canRestrict && <Button onClick={() => setDialog({ kind: 'restrict' })}>Restrict</Button>}
        {options.canForceDisconnect && <Button onClick={() => setDialog({ kind: 'disconnect' })}>Force-disconnect</Button>}
      </Space>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ fontSize: 18, margin: 0 }}>Identity and standing</h2>}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label="Member id">{user.id}</Descriptions.Item>
              <Descriptions.Item label="External id">{user.externalId}</Descriptions.Item>
              <Descriptions.Item label="Email">{user.email ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="Role">{user.role}</Descriptions.Item>
              <Descriptions.Item label="Standing">
                <span data-testid="case-standing">
                  <StateTag state={status.state} />
                </span>
              </Descriptions.Item>
              <Descriptions.Item label="Since">{formatInstant(status.changedAt)}</Descriptions.Item>
              <Descriptions.Item label="Live sessions">
                <span data-testid="session-count">{user.activeSessionCount}</span>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ fontSize: 18, margin: 0 }}>Block in force</h2>}>
            {user.block ? (
              <Descriptions column={1} size="small">
                <Descriptions.Item label="Reason">{REASON_LABEL[user.block.reason]}</Descriptions.Item>
                <Descriptions.Item label="Duration">{DURATION_LABEL[user.block.duration]}</Descriptions.Item>
                <Descriptions.Item label="Message">{user.block.userMessage}</Descriptions.Item>
                <Descriptions.Item label="Internal note">{user.block.adminNote ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="Placed by">{user.block.blockedBy?.displayName ?? 'the system'}</Descriptions.Item>
                <Descriptions.Item label="Placed">{formatInstant(user.block.blockedAt)}</Descriptions.Item>
                <Descriptions.Item label="Time left">{timeLeft(user.block.expiresAt)}</Descriptions.Item>
              </Descriptions>
            ) : (
              <Typography.Text>None.</Typography.Text>
            )}
            {status.appeal && (
              <Alert
                style={{ marginTop: 12 }}
                type="info"
                title={`Appeal ${status.appeal.state.toLowerCase()} (${formatInstant(status.appeal.createdAt)})`}
                description={status.appeal.message}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ fontSize: 18, margin: 0 }}>Restrictions in force</h2>}>
            {status.restrictions.length === 0 && <Typography.Text>None.</Typography.Text>}
            {status.restrictions.map((restriction) => (
              <Card key={restriction.id} size="small" style={{ marginBottom: 12 }} data-testid="restriction">
                <Descriptions column={1} size="small">
                  <Descriptions.Item label="Restricted">{restriction.actions.map((action) => ACTION_LABEL[action]).join(', ')}</Descriptions.Item>
                  {restriction.categories && <Descriptions.Item label="In categories">{restriction.categories.join(', ')}</Descriptions.Item>}
                  <Descriptions.Item label="Reason">{REASON_LABEL[restriction.reason]}</Descriptions.Item>
                  <Descriptions.Item label="Message">{restriction.userMessage}</Descriptions.Item>
                  <Descriptions.Item label="Internal note">{restriction.adminNote ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label="Placed by">{restriction.createdBy?.displayName ?? 'the system'}</Descriptions.Item>
                  <Descriptions.Item label="Time left">{timeLeft(restriction.expiresAt)}</Descriptions.Item>
                </Descriptions>
                {options.canLiftRestriction && (
                  <Button onClick={() => setDialog({ kind: 'lift', restrictionId: restriction.id })}>Lift restriction</Button>
                )}
              </Card>
            ))}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ fontSize: 18, margin: 0 }}>History</h2>}>
            <Typography.Paragraph data-testid="history-counts">
              Last 6 months: {countOf('BLOCKED')} blocks, {countOf('UNBLOCKED')} unblocks, {countOf('EXPIRED')} block expiries,{' '}
              {countOf('RESTRICTED')} restrictions.
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey={(entry) => `${entry.kind}-${entry.at}`}
              pagination={false}
              dataSource={user.blockHistory}
              columns={[
                { title: 'When', render: (_, entry) => formatInstant(entry.at) },
                { title: 'What', dataIndex: 'kind' },
                { title: 'Reason', render: (_, entry) => (entry.reason ? REASON_LABEL[entry.reason] : '') },
                { title: 'By', render: (_, entry) => entry.by?.displayName ?? '' },
                { title: 'Note', dataIndex: 'note' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ fontSize: 18, margin: 0 }}>Audit entries</h2>}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={audit.data?.moderationLog.nodes ?? []}
              columns={[
                { title: 'When', render: (_, entry) => formatInstant(entry.at) },
                { title: 'What', render: (_, entry) => EVENT_LABEL[entry.type] },
                { title: 'By', render: (_, entry) => entry.actor?.displayName ?? '' },
                { title: 'Reason', dataIndex: 'reason' },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {dialog?.kind === 'block' && (
        <BlockDialog userId={user.id} memberName={name} durations={options.blockDurations} onClose={() => setDialog(null)} onDone={done('Member blocked')} />
      )}
      {dialog?.kind === 'unblock' && user.block && (
        <UnblockDialog userId={user.id} memberName={name} block={user.block} onClose={() => setDialog(null)} onDone={done('Member unblocked')} />
      )}
      {dialog?.kind === 'restrict' && (
        <RestrictDialog userId={user.id} memberName={name} onClose={() => setDialog(null)} onDone={done('Restriction placed')} />
      )}
      {lifting && <LiftDialog restriction={lifting} onClose={() => setDialog(null)} onDone={done('Restriction lifted')} />}
      {dialog?.kind === 'disconnect' && (
        <ForceDisconnectDialog
          userId={user.id}
          memberName={name}
          onClose={() => setDialog(null)}
          onDone={(closed) => done(`${closed} session${closed === 1 ? '' : 's'} closed`)()}
        />
      )}
    </>
  );
}
