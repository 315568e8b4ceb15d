/**
 * The frame of the mock's browser pages (sign-in, consent, errors): plain HTML with inline CSS, no
 * scripts, accessible (landmarks, labels, focus order), styled to read like a real sign-in.
 */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f7fb;color:#1b2733;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
  main{width:min(420px,92vw);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(16,42,67,.12);padding:32px}
  .brand{display:flex;align-items:center;gap:10px;font-weight:700;color:#11567f;margin-bottom:20px}
  .logo{width:28px;height:28px;border-radius:6px;background:#29b5e8;display:grid;place-items:center;color:#fff;font-size:18px}
  h1{font-size:1.35rem;margin:0 0 6px}
  p.sub{margin:0 0 20px;color:#52606d}
  label{display:block;font-weight:600;margin:14px 0 6px}
  input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid #bcccdc;border-radius:8px;font:inherit}
  input:focus,button:focus{outline:3px solid #9fdcf4;outline-offset:1px}
  .actions{display:flex;gap:10px;margin-top:22px}
  button{flex:1;padding:10px 14px;border-radius:8px;border:1px solid #11567f;font:inherit;font-weight:600;cursor:pointer}
  button.primary{background:#11567f;color:#fff}
  button.secondary{background:#fff;color:#11567f}
  .error{background:#fde8e8;border:1px solid #f5b5b5;color:#8a1c1c;padding:10px 12px;border-radius:8px;margin-bottom:14px}
  dl{margin:16px 0;padding:14px;background:#f4f7fb;border-radius:8px}
  dt{font-size:.85rem;color:#52606d}dd{margin:0 0 8px;font-weight:600;word-break:break-all}
  .foot{margin-top:18px;font-size:.8rem;color:#7b8794}
`;

/** Whose page it is: Snowflake's by default; the external OAuth provider's pages name their host (issue #6). */
export interface PageBrand {
  readonly name: string;
  readonly logo: string;
  readonly foot: string;
}

const SNOWFLAKE_BRAND: PageBrand = { name: 'Snowflake', logo: '❄', foot: 'snowflake-auth-mock · offline OAuth server' };

/**
 * A whole page.
 *
 * @example
 * page('Sign in', '<h1>Sign in</h1>')
 * page('Allow access', '<h1>…</h1>', { name: 'provider.example.com', logo: '◆', foot: 'snowflake-auth-mock · mock OAuth provider' })
 */
export function page(title: string, body: string, brand: PageBrand = SNOWFLAKE_BRAND): string {
  const name = escapeHtml(brand.name);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · ${name}</title><style>${STYLE}</style></head><body><main><div class="brand" aria-hidden="true"><span class="logo">${escapeHtml(brand.logo)}</span>${name}</div>${body}<p class="foot">${escapeHtml(brand.foot)}</p></main></body></html>`;
}

/**
 * Hidden inputs carrying values through a form post.
 *
 * @example
 * hidden({ client_id: 'my-app-client' })
 */
export function hidden(fields: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
}
