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

describe('lib/redact details', () => {
  it('ignores secrets shorter than 3 characters and forgets secrets on request', () => {
    const r = new Redactor();
    r.add('ab');
    r.add(undefined);
    r.add('hunter2');
    assert.equal(r.redact('ab hunter2'), 'ab ***');
    r.forget('hunter2');
    assert.equal(r.redact('ab hunter2'), 'ab hunter2');
  });

  it('masks every occurrence and secrets with regular-expression characters literally', () => {
    const r = new Redactor();
    r.add('a.b*c');
    assert.equal(r.redact('a.b*c and a.b*c, not axbbc'), '*** and ***, not axbbc');
  });

  it('masks each secret query parameter whatever its case, and stops at the next separator', () => {
    assert.equal(redactPatterns('x?TOKEN=abc&ok=1#frag'), 'x?TOKEN=***&ok=1#frag');
    assert.equal(redactPatterns('a;pwd=1 b&access_token=2"'), 'a;pwd=*** b&access_token=***"');
    assert.equal(redactPatterns('not?mypassword=1'), 'not?mypassword=1');
  });

  it('safeUrl drops query and user info; an unparsable url keeps its part before "?" with patterns masked', () => {
    assert.equal(safeUrl('wss://h/ws?authorization=x'), 'wss://h/ws');
    assert.equal(safeUrl('not a url?password=x'), 'not a url');
    assert.equal(safeUrl('bad eyJa.eyJb.c'), 'bad ***');
    assert.equal(safeUrl(''), '');
  });
});
