import { Result } from 'antd';
import { useEffect, useState } from 'react';

/**
 * Shown without a token. The identity provider opens the app with `#token=<JWT>`; in
 * development the server also offers /dev/sign-in, linked only when it exists.
 */
export function SignInNeeded() {
  const [devSignIn, setDevSignIn] = useState(false);
  useEffect(() => {
    fetch('/dev/sign-in', { method: 'HEAD' })
      .then((response) => setDevSignIn(response.ok))
      .catch(() => setDevSignIn(false));
  }, []);
  return (
    <main>
      <Result
        status="403"
        title={<h1 style={{ fontSize: 24, margin: 0 }}>Please sign in</h1>}
        subTitle="Open this page from the platform's sign-in to continue."
        extra={devSignIn ? <a href="/dev/sign-in">Development sign-in</a> : null}
      />
    </main>
  );
}
