// msg.labels of the dictionary node: name → display name of the dictionary's dimensions and measures,
// an entry without a displayName labelled with its name. The extraction is lib/state/labels.ts's, which
// the state node uses too (there entries without a displayName are left out).
import { dictionaryLabels as labelsOf, type Labels } from '../../lib/state/labels';

export type { Labels };

export function dictionaryLabels(dictionary: unknown): Labels {
  return labelsOf(dictionary, 'name');
}
