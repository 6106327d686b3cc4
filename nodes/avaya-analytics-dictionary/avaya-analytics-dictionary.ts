// avaya-analytics-dictionary: a producer's dictionary (display names and descriptions of its
// dimensions and measures) in one of the 11 locales. msg.producer / msg.locale override the
// configuration; msg.payload = the dictionary, msg.labels = name → display name.
import { textOf } from '../shared/text';
import type { Node, NodeDef, NodeRedApi } from '../shared/node-red';
import { runRestQueryNode } from '../shared/rest-query-node';
import { CONFIG_SCHEMAS } from '../shared/schemas';
import { upgradeConfig } from '../shared/upgrade';
import { isLocale, isProducerId, LOCALES } from '../shared/vocabulary';
import { dictionaryLabels } from './labels';

const TYPE = 'avaya-analytics-dictionary';

interface DictionaryConfig extends NodeDef {
  server: string;
  producer: string;
  locale: string;
  version: number;
}

export = function registerDictionary(RED: NodeRedApi): void {
  function AvayaAnalyticsDictionary(this: Node, stored: DictionaryConfig): void {
    const config = upgradeConfig(stored, CONFIG_SCHEMAS[TYPE]);
    RED.nodes.createNode(this, config);
    runRestQueryNode(RED, this, TYPE, config.server, async (client, msg) => {
      const producer = msg.producer !== undefined ? msg.producer : config.producer;
      if (!isProducerId(producer))
        throw new Error(RED._(`${TYPE}.errors.bad-producer`, { producer: textOf(producer) }));
      const locale = msg.locale !== undefined ? msg.locale : config.locale || 'en-us';
      if (!isLocale(locale)) {
        throw new Error(RED._(`${TYPE}.errors.bad-locale`, { locale: textOf(locale), locales: LOCALES.join(', ') }));
      }
      const dictionary = await client.rest.dictionary(producer, locale);
      const labels = dictionaryLabels(dictionary);
      msg.payload = dictionary;
      msg.labels = labels.map;
      msg.producer = producer;
      msg.locale = locale;
      return labels.count;
    });
  }
  RED.nodes.registerType(TYPE, AvayaAnalyticsDictionary);
};
