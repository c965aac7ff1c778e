import 'server-only';
import { redirect } from 'next/navigation';
import { getSession } from './auth';

/** The session of a page that needs a login; anyone else goes to the login page. */
export async function requireSession() {
  const session = await getSession();
  if (!session) redirect('/');
  return session;
}
