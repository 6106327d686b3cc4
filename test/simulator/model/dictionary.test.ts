import assert from 'node:assert/strict';
import { createModel, LOCALES, type Dictionary } from '../../../simulator/model';
import { T0 } from '../../helpers/model-replay';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
// Names whose German display name is rightly the English one (a loan word or an acronym).
const SAME_IN_GERMAN = new Set(['ucid', 'coaching']);

describe('simulator model: dictionaries', () => {
  const model = createModel({ seed: 1, agents: 10, startTime: T0, warmupEvents: 0 });
  const producerIds = model.producers().map((p) => p.header.producerId);

  it('serves all 11 locales for every producer, covering every dimension and measure', () => {
    for (const producerId of producerIds) {
      const descriptor = model.producer(producerId);
      for (const locale of LOCALES) {
        const d = model.dictionary(producerId, locale) as Dictionary;
        assert.ok(d, `${producerId} ${locale}`);
        assert.equal(d.locale, locale);
        assert.equal(d.producerId, producerId);
        assert.ok(d.description.length > 0);
        assert.deepEqual(
          d.measures.map((m) => m.name),
          descriptor?.measures.map((m) => m.name),
        );
        assert.deepEqual(
          d.dimensions.map((m) => m.name),
          descriptor?.dimensions.map((m) => m.name),
        );
        for (const t of [...d.measures, ...d.dimensions])
          assert.ok(t.displayName && t.description, `${producerId} ${locale} ${t.name}`);
      }
    }
  });

  it('has real German and Japanese texts and flags the English fallback of the other locales', () => {
    for (const producerId of producerIds) {
      const en = model.dictionary(producerId, 'en-us') as Dictionary;
      const de = model.dictionary(producerId, 'de') as Dictionary;
      const ja = model.dictionary(producerId, 'ja') as Dictionary;
      assert.equal(en.contentLocale, 'en-us');
      assert.equal(de.contentLocale, 'de');
      assert.equal(ja.contentLocale, 'ja');
      assert.notEqual(de.description, en.description);
      assert.match(ja.description, JAPANESE);
      const all = (d: Dictionary) => [...d.dimensions, ...d.measures];
      all(de).forEach((t, i) => {
        const e = all(en)[i];
        if (!SAME_IN_GERMAN.has(t.name)) assert.notEqual(t.displayName, e?.displayName, `de ${producerId}.${t.name}`);
        assert.notEqual(t.description, e?.description, `de description ${producerId}.${t.name}`);
      });
      for (const t of all(ja)) {
        if (t.name !== 'ucid') assert.match(t.displayName, JAPANESE, `ja ${producerId}.${t.name}`);
        assert.match(t.description, JAPANESE, `ja description ${producerId}.${t.name}`);
      }
      for (const locale of ['es', 'fr', 'it', 'ko', 'pt_BR', 'ru', 'zh-cn', 'zh-tw']) {
        const d = model.dictionary(producerId, locale) as Dictionary;
        assert.equal(d.contentLocale, 'en-us', `${locale} says it falls back to English`);
        assert.deepEqual(d.measures, en.measures);
      }
    }
  });

  it('spot-checks translations users will see', () => {
    const name = (locale: string, measure: string) =>
      model.dictionary('Agent_SoD_3.5', locale)?.measures.find((m) => m.name === measure)?.displayName;
    assert.equal(name('en-us', 'acwDuration'), 'After Contact Work Time');
    assert.equal(name('de', 'acwDuration'), 'Nachbearbeitungszeit');
    assert.equal(name('ja', 'acwDuration'), '後処理時間');
    assert.equal(name('de', 'agentState'), 'Agentenstatus');
    assert.equal(name('ja', 'answered'), '応答数');
  });

  it('accepts common spellings of a locale and refuses unknown ones', () => {
    assert.equal(model.dictionary('Agent_SoD_3.5', 'pt-BR')?.locale, 'pt_BR');
    assert.equal(model.dictionary('Agent_SoD_3.5', 'EN-US')?.locale, 'en-us');
    assert.equal(model.dictionary('Agent_SoD_3.5', 'en')?.locale, 'en-us');
    assert.equal(model.dictionary('Agent_SoD_3.5', 'xx'), undefined);
    assert.equal(model.dictionary('Agent_SoD_3.5', '__proto__'), undefined);
    assert.equal(model.dictionary('Unknown_SoD_3.5', 'de'), undefined);
  });
});
