// A tiny stand-in for a frontend app: one page whose inline script logs in through the mock with
// fetch() and renders either the session, the problem's detail, or the fetch error.

/** What the page sends. */
export interface LoginPageOptions {
  mockUrl: string;
  token?: string;
  prefer?: string;
  /** A cookie the page sets before it logs in (sent to the mock with `credentials: 'include'`). */
  cookie?: string;
}

/** The page's HTML; the config is embedded as JSON with `<` escaped so it cannot end the script. */
export function loginPage(options: LoginPageOptions): string {
  const config = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Frontend on another origin</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
  #status { font-weight: bold; }
  dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
  dt { color: #555; } dd { margin: 0; font-family: monospace; }
  .error { color: #b00020; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Login with an Instagram code</h1>
<p>Page origin: <code id="origin"></code> → mock: <code id="mock"></code></p>
<p id="status">pending</p>
<p id="scenario"></p>
<dl id="session"></dl>
<p id="problem" class="error"></p>
<p id="fetch-error" class="error"></p>
<script>
(async () => {
  const config = ${config};
  const $ = (id) => document.getElementById(id);
  $('origin').textContent = location.origin;
  $('mock').textContent = config.mockUrl;
  const headers = { 'content-type': 'application/json' };
  if (config.token) headers['x-session-token'] = config.token;
  if (config.prefer) headers['prefer'] = config.prefer;
  // Cookies are per host, not per port: one set here travels to the mock on 127.0.0.1 too.
  if (config.cookie) document.cookie = config.cookie + '; path=/';
  try {
    const response = await fetch(config.mockUrl + '/api/opendata/instagram/login', {
      method: 'POST',
      headers,
      credentials: config.cookie ? 'include' : 'same-origin',
      body: JSON.stringify({ data: { code: 'ig-code-123', type: 'web', client_id: null } }),
    });
    const body = await response.json();
    $('status').textContent = 'HTTP ' + response.status;
    $('scenario').textContent = response.headers.get('iwkit-scenario') || '';
    if (response.ok) {
      const rows = Object.entries(body).flatMap(([key, value]) =>
        value && typeof value === 'object'
          ? Object.entries(value).map(([inner, v]) => [key + '.' + inner, v])
          : [[key, value]]);
      for (const [key, value] of rows) {
        const dt = document.createElement('dt');
        dt.textContent = key;
        const dd = document.createElement('dd');
        dd.dataset.field = key;
        dd.textContent = String(value);
        $('session').append(dt, dd);
      }
    } else {
      $('problem').textContent = body.detail;
    }
  } catch (error) {
    $('status').textContent = 'fetch failed';
    $('fetch-error').textContent = String(error);
  }
  document.body.dataset.done = 'true';
})();
</script>
</body>
</html>
`;
}

/**
 * A page that logs in on demand: `window.login()` sends the same login as the page above and resolves to
 * `HTTP <status>` or the fetch error's text (`TypeError: Failed to fetch`), so a test can send several
 * requests from one page, over the browser's keep-alive connections to the mock.
 */
export function repeatLoginPage(options: { mockUrl: string; token: string }): string {
  const config = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Repeated logins</title></head>
<body>
<h1>Repeated logins</h1>
<ol id="results"></ol>
<script>
const config = ${config};
window.login = async () => {
  let text;
  try {
    const response = await fetch(config.mockUrl + '/api/opendata/instagram/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-token': config.token },
      body: JSON.stringify({ data: { code: 'ig-code-123', type: 'web', client_id: null } }),
    });
    await response.text();
    text = 'HTTP ' + response.status;
  } catch (error) {
    text = String(error);
  }
  const li = document.createElement('li');
  li.textContent = text;
  document.getElementById('results').append(li);
  return text;
};
document.body.dataset.done = 'true';
</script>
</body>
</html>
`;
}
