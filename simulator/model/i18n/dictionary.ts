// Dictionaries (GET …/dictionaries?locale=) and the English texts of the producer descriptors.
// en-us, de and ja are real translations; the other locales of the guide fall back to English and
// say so through `contentLocale`. Descriptions in German and Japanese are composed from the
// translated display name and the measure kind (counter, duration, timestamp…).
import { LOCALES, type Dictionary } from '../contract';
import type { MeasureKind, MeasureSpec } from '../catalog/measure-kinds';
import type { ProducerSpec } from '../catalog/producers';
import { TERMS, type TermRow } from './terms';

type Lang = 'en' | 'de' | 'ja';
type TextKind = MeasureKind | 'dimension';

const LANG_OF_LOCALE = new Map<string, Lang>([
  ['en-us', 'en'],
  ['de', 'de'],
  ['ja', 'ja'],
]);

/** Lower-case, "_" → "-": "pt_BR", "pt-br" and "PT-BR" all name pt_BR; "en" names en-us. */
const CANONICAL_LOCALE = new Map<string, string>([
  ...LOCALES.map((l) => [l.toLowerCase().replace('_', '-'), l] as const),
  ['en', 'en-us'],
]);

export function canonicalLocale(locale: string): string | undefined {
  return CANONICAL_LOCALE.get(String(locale).toLowerCase().replace('_', '-'));
}

const PRODUCER_TEXTS = new Map<string, readonly [de: string, ja: string]>([
  ['Agent', ['Agentenmesswerte seit Tagesbeginn', 'エージェントの本日の測定値']],
  [
    'AgentByAccount',
    [
      'Agentenmesswerte je Konto (ein Konto je Kanal) seit Tagesbeginn',
      'アカウント別（チャネルごと）のエージェントの本日の測定値',
    ],
  ],
  ['AgentGroup', ['Messwerte der Agentengruppe seit Tagesbeginn', 'エージェントグループの本日の測定値']],
  [
    'AgentByNotReadyReasonCode',
    [
      'Agentenmesswerte je Grundcode „Nicht bereit“ seit Tagesbeginn',
      '受付不可理由コード別のエージェントの本日の測定値',
    ],
  ],
  ['ContactDetail', ['Kontaktdetaildatensätze, einer je Kontaktsegment', 'コンタクト詳細レコード（セグメントごと）']],
  ['RoutingService', ['Messwerte des Routingdienstes seit Tagesbeginn', 'ルーティングサービスの本日の測定値']],
  [
    'RoutingServiceByAgent',
    ['Agentenmesswerte je Routingdienst seit Tagesbeginn', 'ルーティングサービス別のエージェントの本日の測定値'],
  ],
  ['Site', ['Standortmesswerte seit Tagesbeginn', 'サイトの本日の測定値']],
  ['VDN', ['Messwerte des Routingpunkts (VDN) seit Tagesbeginn', 'ルーティングポイント (VDN) の本日の測定値']],
  [
    'RoutingServiceGroup',
    ['Messwerte der Routingdienstgruppe seit Tagesbeginn', 'ルーティングサービスグループの本日の測定値'],
  ],
  [
    'AdminData',
    [
      'Stammdaten: Agenten, Konten, Gruppen, Grundcodes, Routingpunkte, Routingdienste, Kanäle',
      '管理データ：エージェント、アカウント、グループ、理由コード、ルーティングポイント、ルーティングサービス、チャネル',
    ],
  ],
]);

function describeDe(name: string, kind: TextKind, values: readonly string[] | undefined): string {
  switch (kind) {
    case 'count':
      return `${name}: Zähler seit Tagesbeginn (00:00 Uhr Serverzeit).`;
    case 'countText':
    case 'gauge':
      return `${name}: aktueller Wert.`;
    case 'percent':
      return `${name}: Anteil in Prozent seit Tagesbeginn.`;
    case 'duration':
      return `${name}: Summe in Sekunden seit Tagesbeginn (00:00 Uhr Serverzeit).`;
    case 'seconds':
      return `${name}: aktueller Wert in Sekunden.`;
    case 'timestamp':
      return `${name}: Zeitpunkt in UTC (Epoche in Millisekunden); „UNKNOWN“, solange unbekannt.`;
    case 'timeInState':
      return `${name}: Beginn des aktuellen Zustands in UTC; angezeigt wird die seither vergangene Zeit.`;
    case 'text':
      return `${name} (Text; „UNKNOWN“, solange unbekannt).`;
    case 'enum':
      return `${name}; mögliche Werte: ${(values ?? []).join(', ')}.`;
    case 'dimension':
      return `${name}: Dimension, die den Datensatz kennzeichnet.`;
  }
}

function describeJa(name: string, kind: TextKind, values: readonly string[] | undefined): string {
  switch (kind) {
    case 'count':
      return `${name}（本日 0 時からの累計）。`;
    case 'countText':
    case 'gauge':
      return `${name}（現在値）。`;
    case 'percent':
      return `${name}（本日 0 時からの割合、パーセント）。`;
    case 'duration':
      return `${name}（本日 0 時からの累計秒数）。`;
    case 'seconds':
      return `${name}（現在値、秒）。`;
    case 'timestamp':
      return `${name}（UTC のエポックミリ秒。不明な場合は UNKNOWN）。`;
    case 'timeInState':
      return `${name}（現在の状態が始まった UTC 時刻。経過時間として表示されます）。`;
    case 'text':
      return `${name}（文字列。不明な場合は UNKNOWN）。`;
    case 'enum':
      return `${name}（値：${(values ?? []).join('、')}）。`;
    case 'dimension':
      return `${name}（レコードを識別するディメンション）。`;
  }
}

function term(name: string): TermRow {
  const row = TERMS.get(name);
  // Every catalog name has a row (a test checks it); a missing one must not crash a REST call.
  return row ?? [name, name, name, name];
}

/** Display name and description of a dimension or measure in a language. */
export function texts(
  name: string,
  kind: TextKind,
  values: readonly string[] | undefined,
  lang: Lang,
): { displayName: string; description: string } {
  const [en, de, ja, description] = term(name);
  if (lang === 'de') return { displayName: de, description: describeDe(de, kind, values) };
  if (lang === 'ja') return { displayName: ja, description: describeJa(ja, kind, values) };
  return { displayName: en, description };
}

export function buildDictionary(producer: ProducerSpec, locale: string): Dictionary | undefined {
  const code = canonicalLocale(locale);
  if (code === undefined) return undefined;
  const lang = LANG_OF_LOCALE.get(code) ?? 'en';
  const producerTexts = PRODUCER_TEXTS.get(producer.name);
  const description =
    lang === 'de' && producerTexts
      ? producerTexts[0]
      : lang === 'ja' && producerTexts
        ? producerTexts[1]
        : producer.description;
  return {
    locale: code,
    contentLocale: lang === 'en' ? 'en-us' : code,
    producerId: producer.id,
    description,
    dimensions: producer.dimensions.map((name) => ({ name, ...texts(name, 'dimension', undefined, lang) })),
    measures: producer.measures.map((m: MeasureSpec) => ({ name: m.name, ...texts(m.name, m.kind, m.values, lang) })),
  };
}
