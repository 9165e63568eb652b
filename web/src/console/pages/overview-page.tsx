import { useQuery } from '@apollo/client/react';
import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { OverviewDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { ActionsChart } from '../components/actions-chart';

const DAYS = 30;

/** Members blocked and restricted now, open appeals, and moderation actions per day over 30 days. */
export function OverviewPage() {
  // Computed once per visit: the period must not move on every render.
  const [period] = useState(() => {
    const until = new Date(Date.now() + 60_000);
    const since = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate() - (DAYS - 1)));
    return { since: since.toISOString(), until: until.toISOString() };
  });
  const { data, error } = useQuery(OverviewDocument, { variables: period, fetchPolicy: 'cache-and-network' });
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Overview
      </Typography.Title>
      {error && <Alert type="error" title={errorMessage(error)} />}
      <Row gutter={16} style={{ marginBottom: 24 }}>
        <Col xs={24} sm={8}>
          <Card>
            <Link to="/members?state=BLOCKED">
              <Statistic title="Members blocked now" value={data?.blocked.totalCount ?? '—'} />
            </Link>
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <Link to="/members?state=RESTRICTED">
              <Statistic title="Members restricted now" value={data?.restricted.totalCount ?? '—'} />
            </Link>
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <Link to="/appeals">
              <Statistic title="Open appeals" value={data?.appealing.totalCount ?? '—'} />
            </Link>
          </Card>
        </Col>
      </Row>
      <Card title={<h2 style={{ fontSize: 18, margin: 0 }}>Moderation actions per day, last {DAYS} days</h2>}>
        <ActionsChart since={period.since} days={DAYS} counts={data?.moderationStats ?? []} />
      </Card>
    </>
  );
}
