import 'server-only';
import { createCaller } from '../server/api/root';
import { createContext } from '../server/context';

/** tRPC from server components: the same procedures and checks, without HTTP. */
export async function serverCaller() {
  return createCaller(await createContext());
}
