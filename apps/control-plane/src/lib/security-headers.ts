/**
 * Headers on every response of the control plane (next.config.ts). Next.js's own inline scripts need
 * 'unsafe-inline' without per-request nonces (which would make every page dynamic and need a proxy);
 * the rules that matter most here hold regardless: no page can be framed (the admin pages' buttons move
 * money), nothing loads from other origins but Discord's avatar CDN, no plugins, no <base> hijack.
 */
export function securityHeaders(o: { dev: boolean }): Array<{ key: string; value: string }> {
  const csp = [
    "default-src 'self'",
    // `next dev` evaluates modules and talks to its reload server over a websocket.
    `script-src 'self' 'unsafe-inline'${o.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https://cdn.discordapp.com",
    "font-src 'self' data:",
    `connect-src 'self'${o.dev ? ' ws: wss:' : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
  return [
    { key: 'Content-Security-Policy', value: csp },
    // For browsers that predate frame-ancestors.
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  ];
}
