import Link from 'next/link';
import { Card } from '../components/ui/card';

/** Any page that does not exist, or a member or tenant id that is not one. */
export default function NotFound() {
  return (
    <div data-testid="not-found">
      <Card className="mx-auto max-w-md space-y-3 text-center">
        <h1 className="text-xl font-semibold">Page not found</h1>
        <p className="text-slate-600 dark:text-slate-300">There is nothing at this address.</p>
        <Link href="/guilds" className="text-brand-700 underline dark:text-brand-300">
          Back to your servers
        </Link>
      </Card>
    </div>
  );
}
