import assert from 'node:assert/strict';
import { errorMessageFromBody } from '../../../lib/rest/error-body';

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
});
