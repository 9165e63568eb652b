import { useQuery } from '@apollo/client/react';
import { Alert, Layout, Menu, Result, Spin } from 'antd';
import { Link, Route, Routes, useLocation } from 'react-router-dom';
import { ConsoleViewerDocument } from '../generated/graphql';
import { errorMessage } from '../shared/error-message';
import { LiveStatusLine } from '../shared/live-status-line';
import { AppealsPage } from './pages/appeals-page';
import { CaseFilePage } from './pages/case-file-page';
import { MembersPage } from './pages/members-page';
import { ModerationLogPage } from './pages/moderation-log-page';
import { OverviewPage } from './pages/overview-page';

const NAV = [
  { key: '/', label: <Link to="/">Overview</Link> },
  { key: '/members', label: <Link to="/members">Members</Link> },
  { key: '/appeals', label: <Link to="/appeals">Appeals</Link> },
  { key: '/log', label: <Link to="/log">Moderation log</Link> },
];

/** The moderation console, for staff; members are told it is not for them. */
export function ConsoleApp() {
  const { data, error } = useQuery(ConsoleViewerDocument);
  const location = useLocation();
  if (error) {
    return (
      <main>
        <Result status="error" title="Cannot load the console" subTitle={errorMessage(error)} />
      </main>
    );
  }
  if (!data) return <Spin fullscreen aria-label="Loading" />;
  if (!data.me.role || data.me.role === 'MEMBER') {
    return (
      <main>
        <Result status="403" title="The moderation console is for staff" subTitle="Your account has no staff role." />
      </main>
    );
  }
  const selected = NAV.map((item) => item.key)
    .filter((key) => key === location.pathname || (key !== '/' && location.pathname.startsWith(key)))
    .slice(-1);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <span style={{ color: '#fff', fontWeight: 600 }}>Warden console</span>
        <nav aria-label="Main" style={{ flex: 1 }}>
          <Menu theme="dark" mode="horizontal" selectedKeys={selected} items={NAV} />
        </nav>
        <span style={{ color: '#fff' }} data-testid="viewer">
          {data.me.displayName ?? 'Staff'} ({(data.me.role ?? '').toLowerCase()})
        </span>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <Routes>
            <Route path="/" element={<OverviewPage />} />
            <Route path="/members" element={<MembersPage />} />
            <Route path="/members/:id" element={<CaseFilePage />} />
            <Route path="/appeals" element={<AppealsPage />} />
            <Route path="/log" element={<ModerationLogPage />} />
            <Route path="*" element={<Alert type="warning" title="No such page" />} />
          </Routes>
        </main>
      </Layout.Content>
      <Layout.Footer>
        <LiveStatusLine />
      </Layout.Footer>
    </Layout>
  );
}
