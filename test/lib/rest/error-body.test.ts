import assert from 'node:assert/strict';
import { errorMessageFromBody } from '../../../lib/rest/error-body';
import { Redactor } from '../../../lib/redact';

describe('lib/rest error bodies', () => {
  it('reads plain JSON {message} and {error}', () => {
    assert.equal(
      errorMessageFromBody('{"message":"invalid username or password"}', 'application/json'),
      'invalid username or password',
    );
    assert.equal(errorMessageFromBody('{"error":"not found"}', 'application/json'), 'not found');
    assert.equal(errorMessageFromBody('{"error":{"message":"nested"}}', 'application/json'), 'nested');
  });
  it('reads RFC 7807 problem+json', () => {
    assert.equal(
      errorMessageFromBody(
        '{"type":"about:blank","title":"Forbidden","detail":"licence limit reached","status":403}',
        'application/problem+json',
      ),
      'Forbidden: licence limit reached',
    );
    assert.equal(errorMessageFromBody('{"title":"Not Found","status":404}', 'application/problem+json'), 'Not Found');
  });
  it('reads text and HTML, and clips long bodies', () => {
    assert.equal(errorMessageFromBody('Service Unavailable\n', 'text/plain'), 'Service Unavailable');
    assert.equal(
      errorMessageFromBody('<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html'),
      '502 Bad Gateway',
    );
    assert.ok(errorMessageFromBody('x'.repeat(5000), 'text/plain').length < 400);
    assert.equal(errorMessageFromBody('', undefined), '');
    assert.equal(errorMessageFromBody('{broken', 'application/json'), '{broken');
  });

  it('strips HTML in one pass: scripts and styles go, an unclosed tag ends the text', () => {
    assert.equal(
      errorMessageFromBody(
        '<html><head><style>h1{color:red}</style><SCRIPT type="x">if (a<b) alert(1)</SCRIPT></head>' +
          '<body><h1>503</h1> Service <b>down</b><scripted>kept</scripted></body></html>',
        'text/html',
      ),
      '503 Service down kept',
    );
    assert.equal(errorMessageFromBody('<p>Gateway timeout <a href="x"', 'text/html'), 'Gateway timeout');
  });

  it('reads a hostile HTML body of unclosed "<" in linear time (the regular expressions took minutes for 1 MB)', () => {
    assert.equal(errorMessageFromBody('<'.repeat(1 << 20), 'text/html'), '');
    assert.equal(errorMessageFromBody('<p>' + '<script'.repeat(200_000), 'text/html'), '');
  });

  it('redacts before it clips: a secret echoed across the cut leaves no prefix behind', () => {
    const redactor = new Redactor();
    const password = 'correct horse & "battery" staple';
    redactor.add(password);
    const redact = (t: string): string => redactor.redact(t);
    const at299 = 'x'.repeat(296) + password;
    const out = errorMessageFromBody(at299, 'text/plain', redact);
    assert.ok(!out.includes('corr'), out);
    for (const echoed of [
      password,
      encodeURIComponent(password),
      new URLSearchParams({ p: password }).toString().slice(2),
      'correct horse &amp; &quot;battery&quot; staple',
      'correct horse &#38; &#34;battery&#34; staple',
    ]) {
      const html = errorMessageFromBody(`<h1>401</h1><p>bad password ${echoed}</p>`, 'text/html', redact);
      assert.equal(html, '401 bad password ***', echoed);
    }
  });
});
