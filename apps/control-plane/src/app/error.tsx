'use client';

import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';

/**
 * A page that failed on the server or in the browser: says so without its details (the server logged
 * them, under the digest shown here) and offers to try again.
 */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div data-testid="error-page">
      <Card className="mx-auto max-w-md space-y-3 text-center">
        <h1 className="text-xl font-semibold">Something went wrong on our side</h1>
        <p className="text-slate-600 dark:text-slate-300">
          Nothing you did was lost. Try again; if it keeps happening, tell us this reference:{' '}
          <code>{error.digest ?? 'none'}</code>.
        </p>
        <Button onClick={() => reset()}>Try again</Button>
      </Card>
    </div>
  );
}
