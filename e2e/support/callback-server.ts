import http from 'node:http';

/**
 * The demo provider's redirect URI (http://localhost:4000/callback) answered by a tiny server for
 * the test: the browser follows the authorization server's redirect there like a real one.
 * (Playwright does not route the target of a redirect chain it did not start.)
 */
export async function startCallbackServer(port = 4000): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('provider callback');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return server;
}
