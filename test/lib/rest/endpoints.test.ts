import assert from 'node:assert/strict';
import { ADMIN_PRODUCER, DIMDATA_KINDS, LOCALES, paths } from '../../../lib/rest/endpoints';

describe('lib/rest/endpoints paths', () => {
  it('builds the documented paths', () => {
    assert.equal(paths.login(), '/users/login');
    assert.equal(paths.sources(), '/sources');
    assert.equal(paths.producers('S1'), '/sources/S1/producers');
    assert.equal(paths.subscriptions('S1', 'Agent_SoD_3.5'), '/sources/S1/producers/Agent_SoD_3.5/subscriptions');
    assert.equal(paths.dictionaries('S1', 'VDN_SoD_3.5'), '/sources/S1/producers/VDN_SoD_3.5/dictionaries');
    assert.equal(paths.dimdata('S1', 'Agent'), `/sources/S1/producers/${ADMIN_PRODUCER}/dimdata/Agent/datatype/Agent`);
  });

  it('encodes every path part: a hostile id cannot climb to another endpoint or add a query', () => {
    assert.equal(paths.producers('../users/login'), '/sources/..%2Fusers%2Flogin/producers');
    assert.equal(paths.subscriptions('S', 'P?x=1#f'), '/sources/S/producers/P%3Fx%3D1%23f/subscriptions');
    assert.equal(
      paths.dimdata('a b', 'K/../x'),
      `/sources/a%20b/producers/${ADMIN_PRODUCER}/dimdata/K%2F..%2Fx/datatype/K%2F..%2Fx`,
    );
    for (const p of [paths.producers('/'), paths.dictionaries('/', '/')]) assert.ok(!p.includes('//'), p);
  });

  it('lists the nine dimension-data kinds and eleven locales of the guide', () => {
    assert.equal(DIMDATA_KINDS.length, 9);
    assert.equal(new Set(DIMDATA_KINDS).size, 9);
    assert.equal(LOCALES.length, 11);
    assert.ok(LOCALES.includes('en-us'));
  });
});
