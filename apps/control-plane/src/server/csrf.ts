/**
 * Refuses tRPC calls a browser makes on behalf of another site. Auth.js guards its own routes with
 * a CSRF token and Next.js checks server actions' Origin; tRPC requests carry the session cookie
 * (SameSite=Lax) and are JSON, and this check closes what is left: a request whose Origin (or
 * Sec-Fetch-Site) says it came from elsewhere is refused before any procedure runs.
 */
export function isCrossSite(req: Request, publicOrigin: string | null): boolean {
  if (req.headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = req.headers.get('origin');
  if (!origin) return false; // not a browser cross-origin request (server-side fetch, curl)
  return origin !== (publicOrigin ?? new URL(req.url).origin);
}
