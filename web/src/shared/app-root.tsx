import { ApolloProvider } from '@apollo/client/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createWardenApollo } from './apollo-client';
import { takeSessionToken } from './session-token';
import { SignInNeeded } from './sign-in-needed';

/** Mounts an app: the token from the fragment, Apollo, antd; the sign-in notice without a token. */
export function mountApp(render: () => ReactNode): void {
  const token = takeSessionToken();
  const root = createRoot(document.getElementById('root')!);
  const content = token ? <ApolloProvider client={createWardenApollo(token)}>{render()}</ApolloProvider> : <SignInNeeded />;
  root.render(
    <StrictMode>
      <ConfigProvider theme={{ token: { colorPrimary: '#1f6f5c' } }}>
        <AntApp>{content}</AntApp>
      </ConfigProvider>
    </StrictMode>,
  );
}
