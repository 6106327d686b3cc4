// A stable key for one entity of one producer: the producer id, then every dimension key=value in
// key order, e.g. "AgentByAccount_SoD_3.5/accountId=8501014/agentId=jsmith/channelId=Voice".
// Independent of the order of keys on the wire, so the same entity always has the same key
// (used as msg.topic and as the state node's record key).
export function entityKey(producerId: string, dimension: Readonly<Record<string, string>>): string {
  const names = Object.keys(dimension).sort();
  let key = producerId;
  for (const name of names) key += '/' + name + '=' + dimension[name];
  return key;
}
