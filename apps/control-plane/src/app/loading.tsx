import { Spinner } from '../components/ui/card';

/** Shown while a page's server part is still on its way. */
export default function Loading() {
  return (
    <div className="py-12 text-center">
      <Spinner />
    </div>
  );
}
