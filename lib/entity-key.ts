// A stable key for one entity of one producer: the producer id, then every dimension key=value in
// key order, e.g. "AgentByAccount_SoD_3.5/accountId=8501014/agentId=jsmith/channelId=Voice".
// Independent of the order of keys on the wire, so the same entity always has the same key
// (used as msg.topic and as the state node's record key).
//
// Built with join(), not +=: concatenation makes a tree of cons strings (five per key), and the state
// store keeps one key per entity (100,000 keys would hold some 15 MB of string trees).
export function entityKey(producerId: string, dimension: Readonly<Record<string, string>>): string {
  const names = Object.keys(dimension).sort();
  const parts = [producerId];
  for (const name of names) parts.push('/', name, '=', dimension[name] ?? '');
  return parts.join('');
}
