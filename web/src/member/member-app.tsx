import { Alert, Layout, Menu, Result, Spin } from 'antd';
import { Link, Route, Routes, useLocation } from 'react-router-dom';
import { LiveStatusLine } from '../shared/live-status-line';
import { errorMessage } from '../shared/error-message';
import { BlockScreen } from './components/block-screen';
import { StandingBanner } from './components/standing-banner';
import { AccountPage } from './pages/account-page';
import { ConversationsPage } from './pages/conversations-page';
import { CreateListingPage } from './pages/create-listing-page';
import { ListingPage } from './pages/listing-page';
import { ListingsPage } from './pages/listings-page';
import { MyReservationsPage } from './pages/my-reservations-page';
import { RequestsPage } from './pages/requests-page';
import { useStanding } from './use-standing';

const NAV = [
  { key: '/', label: <Link to="/">Browse</Link> },
  { key: '/listings/new', label: <Link to="/listings/new">Share an item</Link> },
  { key: '/reservations', label: <Link to="/reservations">My reservations</Link> },
  { key: '/requests', label: <Link to="/requests">Requests for my items</Link> },
  { key: '/conversations', label: <Link to="/conversations">Messages</Link> },
  { key: '/account', label: <Link to="/account">Account</Link> },
];

/** The member app: the block screen while blocked, else the pages under a live standing banner. */
export function MemberApp() {
  const standing = useStanding();
  const location = useLocation();
  if (standing.error && !standing.data) {
    return (
      <main>
        <Result status="error" title="Cannot load your account" subTitle={errorMessage(standing.error)} />
      </main>
    );
  }
  if (!standing.data) return <Spin fullscreen aria-label="Loading" />;
  const { me } = standing.data;
  const status = me.accountStatus;
  if (!status) return <Result status="error" title="Cannot read your standing" />;
  if (status.state === 'BLOCKED') {
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Content style={{ padding: 24 }}>
          <BlockScreen status={status} />
        </Layout.Content>
        <Layout.Footer>
          <LiveStatusLine />
        </Layout.Footer>
      </Layout>
    );
  }
  const selected = NAV.map((item) => item.key)
    .filter((key) => key === location.pathname || (key !== '/' && location.pathname.startsWith(key)))
    .slice(-1);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <span style={{ color: '#fff', fontWeight: 600 }}>ShareThrift</span>
        <nav aria-label="Main" style={{ flex: 1 }}>
          <Menu theme="dark" mode="horizontal" selectedKeys={selected} items={NAV} />
        </nav>
        <span style={{ color: '#fff' }}>{me.displayName ?? 'Member'}</span>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <StandingBanner status={status} />
        <main>
          <Routes>
            <Route path="/" element={<ListingsPage />} />
            <Route path="/listings/new" element={<CreateListingPage />} />
            <Route path="/listings/:id" element={<ListingPage />} />
            <Route path="/reservations" element={<MyReservationsPage />} />
            <Route path="/requests" element={<RequestsPage />} />
            <Route path="/conversations" element={<ConversationsPage />} />
            <Route path="/conversations/:id" element={<ConversationsPage />} />
            <Route path="/account" element={<AccountPage />} />
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
