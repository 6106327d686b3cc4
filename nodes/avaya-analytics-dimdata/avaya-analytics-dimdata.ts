// avaya-analytics-dimdata: dimension data (agents, accounts, groups, …) of the admin producer
// Admin_Admin_3.5 on demand. msg.kind overrides the configured kind; msg.payload = the records.
import { textOf } from '../shared/text';
import type { NodeDef, NodeRedApi, Node } from '../shared/node-red';
import { runRestQueryNode } from '../shared/rest-query-node';
import { CONFIG_SCHEMAS } from '../shared/schemas';
import { upgradeConfig } from '../shared/upgrade';
import { DIMDATA_KINDS, isDimDataKind } from '../shared/vocabulary';

const TYPE = 'avaya-analytics-dimdata';

interface DimdataConfig extends NodeDef {
  server: string;
  kind: string;
  version: number;
}

export = function registerDimdata(RED: NodeRedApi): void {
  function AvayaAnalyticsDimdata(this: Node, stored: DimdataConfig): void {
    const config = upgradeConfig(stored, CONFIG_SCHEMAS[TYPE]);
    RED.nodes.createNode(this, config);
    runRestQueryNode(RED, this, TYPE, config.server, async (client, msg) => {
      const kind = msg.kind !== undefined ? msg.kind : config.kind;
      if (!isDimDataKind(kind)) {
        throw new Error(RED._(`${TYPE}.errors.bad-kind`, { kind: textOf(kind), kinds: DIMDATA_KINDS.join(', ') }));
      }
      const records = await client.rest.dimdata(kind);
      msg.payload = records;
      msg.kind = kind;
      return records.length;
    });
  }
  RED.nodes.registerType(TYPE, AvayaAnalyticsDimdata);
};
