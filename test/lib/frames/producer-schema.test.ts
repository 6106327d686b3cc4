import assert from 'node:assert/strict';
import {
  buildSchema,
  canonicalizeDimension,
  fallbackSchema,
  producerName,
  schemaFromDescriptor,
  signatureOf,
} from '../../../lib/frames/producer-schema';

describe('lib/frames/producer-schema', () => {
  it('producerName is the part before the first underscore', () => {
    assert.equal(producerName('AgentGroup_SoD_3.5'), 'AgentGroup');
    assert.equal(producerName('NoUnderscore'), 'NoUnderscore');
  });

  it('buildSchema sorts and dedupes dimensions, maps lower-case names, upper-cases measure types', () => {
    const s = buildSchema('Site_1', ['siteName', 'siteId', 'siteId'], [{ name: 'n', type: 'number' }, { name: '' }]);
    assert.deepEqual(s.dimensions, ['siteId', 'siteName']);
    assert.equal(s.signature, 'siteid,sitename');
    assert.equal(s.dimensionNames.siteid, 'siteId');
    assert.equal(s.dimensionNames.siteName, 'siteName');
    assert.deepEqual({ ...s.measureTypes }, { n: 'NUMBER' });
    assert.equal(Object.getPrototypeOf(s.dimensionNames), null);
    assert.equal(Object.getPrototypeOf(s.measureTypes), null);
  });

  it('drops declared dimension names that are hostile keys, so no frame key is renamed into one', () => {
    const s = buildSchema('P_SoD_3.5', ['__proto__', 'constructor', 'prototype', 'agentId'], []);
    assert.deepEqual(s.dimensions, ['agentId']);
    const out = canonicalizeDimension(
      Object.assign(Object.create(null) as Record<string, string>, { __PROTO__: 'x', CONSTRUCTOR: 'y', AGENTID: 'a' }),
      s,
    );
    assert.deepEqual(Object.keys(out).sort(), ['CONSTRUCTOR', '__PROTO__', 'agentId']);
  });

  it('keeps hostile measure names as plain data', () => {
    const s = buildSchema('P', [], [{ name: '__proto__', type: 'number' }]);
    assert.equal(s.measureTypes['__proto__'], 'NUMBER');
    assert.equal(({} as Record<string, unknown>).NUMBER, undefined);
  });

  it('schemaFromDescriptor reads header or flat form, string or object dimensions, and falls back to the table', () => {
    const a = schemaFromDescriptor({ header: { producerId: 'X_1' }, dimensions: ['k', { name: 'j' }, 3, null] });
    assert.deepEqual(a?.dimensions, ['j', 'k']);
    const b = schemaFromDescriptor({
      producerId: 'AgentByAccount_SoD_3.5',
      measures: [{ name: 'm', type: 'date' }, 7],
    });
    assert.deepEqual(b?.dimensions, ['accountId', 'agentId', 'channelId']);
    assert.deepEqual({ ...b?.measureTypes }, { m: 'DATE' });
    for (const bad of [null, 'x', 42, {}, { header: { producerId: 5 } }, { producerId: '' }])
      assert.equal(schemaFromDescriptor(bad), null);
  });

  it('fallbackSchema uses the built-in dimensions and no measure types', () => {
    assert.deepEqual(fallbackSchema('VDN_SoD_3.5').dimensions, ['routingPointId']);
    assert.deepEqual(fallbackSchema('Unknown_1').dimensions, []);
    assert.deepEqual(fallbackSchema('__proto___1').dimensions, [], 'producerName is "" here');
  });

  // A producer id whose name part is an Object.prototype member ("toString_SoD_3.5", "constructor") once found a
  // function in KNOWN_DIMENSIONS and threw "function is not iterable" (client.subscribe threw it too).
  it('treats producer names that are Object.prototype members as unknown', () => {
    for (const id of ['constructor', 'toString_SoD_3.5', 'hasOwnProperty_1', 'valueOf'])
      assert.deepEqual(fallbackSchema(id).dimensions, [], id);
    assert.deepEqual(schemaFromDescriptor({ producerId: 'constructor_1' })?.dimensions, []);
  });

  it('signatureOf is order- and case-insensitive', () => {
    assert.equal(signatureOf(['B', 'a']), signatureOf(new Set(['A', 'b'])));
    assert.equal(signatureOf([]), '');
  });

  it('canonicalizeDimension returns the same object when nothing needs renaming, else a prototype-less copy', () => {
    const schema = buildSchema('AgentGroup_1', ['groupId'], []);
    const exact = { groupId: '1' };
    assert.equal(canonicalizeDimension(exact, schema), exact);
    const unknown = { other: '2' };
    assert.equal(canonicalizeDimension(unknown, schema), unknown);
    const renamed = canonicalizeDimension({ GROUPID: '1', extra: 'e' }, schema);
    assert.deepEqual({ ...renamed }, { groupId: '1', extra: 'e' });
    assert.equal(Object.getPrototypeOf(renamed), null);
  });
});
