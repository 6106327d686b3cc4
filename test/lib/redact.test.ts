import assert from 'node:assert/strict';
import { Redactor, redactPatterns, safeUrl } from '../../lib/redact';

describe('lib redaction', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  it('masks known secrets, URL-encoded too', () => {
    const r = new Redactor();
    r.add('p@ss word!');
    assert.equal(r.redact('bad p@ss word! and p%40ss%20word!'), 'bad *** and ***');
  });
  it('masks JWTs, Bearer credentials and password query parameters even when unknown', () => {
    assert.equal(redactPatterns(`token ${jwt} end`), 'token *** end');
    assert.equal(redactPatterns('Authorization: Bearer abc.def'), 'Authorization: Bearer ***');
    assert.equal(
      redactPatterns('/users/login?tenant=0&username=u&password=secret1'),
      '/users/login?tenant=0&username=u&password=***',
    );
    assert.equal(safeUrl('https://u:p@h:1/users/login?password=x'), 'https://h:1/users/login');
  });
});
