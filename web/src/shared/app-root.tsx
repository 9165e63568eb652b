import { ApolloProvider } from '@apollo/client/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createWardenApollo } from './apollo-client';
import { takeSessionToken } from './session-token';
import { SignInNeeded } from './sign-in-needed';

/**
 * antd's defaults put secondary text, links, tags and danger buttons under WCAG's 4.5:1
 * contrast; these tokens keep every text at 4.5:1 or more on white and light grey.
 */
const THEME = {
  token: {
    colorPrimary: '#1f6f5c',
    colorLink: '#1d5fa8',
    colorError: '#b3261e',
    colorSuccess: '#2a6b1e',
    colorWarning: '#8a5a00',
    colorTextSecondary: '#595959',
    colorTextTertiary: '#595959',
    colorTextQuaternary: '#636363',
    colorTextDescription: '#595959',
    colorTextLabel: '#595959',
    colorTextPlaceholder: '#6b6b6b',
  },
};

/** Mounts an app: the token from the fragment, Apollo, antd; the sign-in notice without a token. */
export function mountApp(render: () => ReactNode): void {
  const token = takeSessionToken();
  const root = createRoot(document.getElementById('root')!);
  const content = token ? <ApolloProvider client={createWardenApollo(token)}>{render()}</ApolloProvider> : <SignInNeeded />;
  root.render(
    <StrictMode>
      <ConfigProvider theme={THEME}>
        <AntApp>{content}</AntApp>
      </ConfigProvider>
    </StrictMode>,
  );
}
