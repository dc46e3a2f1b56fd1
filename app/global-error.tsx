'use client';

// Last resort when the root layout itself fails: no providers, so both languages are shown.
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="ja">
      <body style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', lineHeight: 1.7 }}>
        <h1>問題が発生しました / Something went wrong</h1>
        <p>時間をおいて再度お試しください。 Please try again later.</p>
        {error.digest ? <p>ID: {error.digest}</p> : null}
      </body>
    </html>
  );
}
